package io.ipcscope.collector.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Mount points of whole filesystems by device (kernel encoding), from /proc/self/mountinfo: the tracer sees the host's
 * mounts. Read once and again whenever a device is not in it (a filesystem mounted since we last looked).
 */
final class ProcMountPoints {

  private final Path mountinfo;
  private Map<Integer, String> mountPoints = Map.of();

  ProcMountPoints(Path mountinfo) {
    this.mountinfo = mountinfo;
  }

  /** The mount point of {@code kernelDev}, or "" when it is not mounted (or there is no mount table). */
  String mountPoint(int kernelDev) {
    String point = mountPoints.get(kernelDev);
    if (point == null) {
      mountPoints = read();
      point = mountPoints.getOrDefault(kernelDev, "");
    }
    return point;
  }

  /** The root "/" of each mount only; the first mount of each device wins, as in /proc/self/mounts order. */
  private Map<Integer, String> read() {
    Map<Integer, String> points = new HashMap<>();
    try {
      for (String line : Files.readAllLines(mountinfo)) {
        String[] f = line.split(" ");
        if (f.length < 5 || !f[3].equals("/")) {
          continue;
        }
        String[] majorMinor = f[2].split(":");
        int dev = (Integer.parseInt(majorMinor[0]) << 20) | Integer.parseInt(majorMinor[1]);
        points.putIfAbsent(dev, unescape(f[4]));
      }
    } catch (IOException | RuntimeException e) {
      // no mount table: paths stay relative to their filesystem
    }
    return points;
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 3 < s.length()) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }
}

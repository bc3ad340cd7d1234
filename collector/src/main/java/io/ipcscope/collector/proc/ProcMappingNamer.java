package io.ipcscope.collector.proc;

import io.ipcscope.collector.model.MappingNamer;
import io.ipcscope.probes.event.IpcEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names mapped files by their full path: the record's path within its filesystem, after the mount point of that
 * filesystem (from /proc/self/mountinfo: the tracer sees the host's mounts). A memfd is {@code memfd:NAME}; an object
 * of the /dev/shm mount is {@code /dev/shm/NAME}, what shm_open made.
 */
public final class ProcMappingNamer implements MappingNamer {

  private final Path mountinfo;
  private Map<Integer, String> mountPoints = Map.of();

  ProcMappingNamer(Path mountinfo) {
    this.mountinfo = mountinfo;
  }

  public static ProcMappingNamer system() {
    return new ProcMappingNamer(Path.of("/proc/self/mountinfo"));
  }

  @Override
  public String name(IpcEvent attach) {
    List<String> names = MappingNamer.names(attach);
    if (names.size() == 1 && names.get(0).startsWith("memfd:")) {
      return names.get(0);
    }
    String mountPoint = mountPoints.get(attach.channelDev());
    if (mountPoint == null) {
      mountPoints = readMountPoints(); // a filesystem mounted since we last looked
      mountPoint = mountPoints.getOrDefault(attach.channelDev(), "");
    }
    String within = String.join("/", names);
    return mountPoint.equals("/") ? "/" + within : mountPoint + "/" + within;
  }

  /**
   * Mount points of whole filesystems (root "/" of the mount) by device, kernel encoding; the first mount of each
   * wins, as in /proc/self/mounts order.
   */
  private Map<Integer, String> readMountPoints() {
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

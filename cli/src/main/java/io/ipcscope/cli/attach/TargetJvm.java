package io.ipcscope.cli.attach;

import io.ipcscope.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * What /proc says about the process to attach to, checked before the JVM's attach mechanism is tried: its own errors
 * are a ten-second timeout for anything that is not a HotSpot JVM of the same user.
 *
 * @param uid the process's effective uid
 * @param jvm whether it has libjvm mapped
 */
record TargetJvm(long pid, String command, int uid, String user, boolean jvm) {

  static TargetJvm of(long pid) {
    Path proc = Paths.get("/proc", Long.toString(pid));
    try {
      int uid = effectiveUid(Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8));
      String user = Files.getOwner(proc).getName();
      String command = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip();
      boolean jvm;
      try {
        jvm = mapsLibjvm(proc.resolve("maps"));
      } catch (IOException e) {
        jvm = false; // another user's process: said by the uid check first
      }
      return new TargetJvm(pid, command, uid, user, jvm);
    } catch (NoSuchFileException e) {
      throw new UserError("no process " + pid);
    } catch (IOException e) {
      throw new UserError("cannot read /proc/" + pid + ": " + e.getMessage());
    }
  }

  /** The uid of this process. */
  static int currentUid() {
    try {
      return effectiveUid(Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * HotSpot answers only an attach from its own effective user, or root, and {@code uid} is not one: the user is told
   * how to run it as that user.
   */
  void checkAttachableBy(int uid, String userName) {
    if (uid != 0 && uid != this.uid) {
      throw new UserError("process " + pid + " (" + command + ") runs as " + user + ", and you are " + userName
          + ": a JVM lets only its own user (or root) attach; run it as " + user + " (sudo -u " + user
          + " ipcscope attach " + pid + ") or as root");
    }
    if (!jvm) {
      throw new UserError("process " + pid + " (" + command + ") is not a Java VM (no libjvm.so mapped)");
    }
  }

  private static boolean mapsLibjvm(Path maps) throws IOException {
    try (var lines = Files.lines(maps, StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
    }
  }

  private static int effectiveUid(List<String> status) {
    for (String line : status) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    throw new IllegalStateException("no Uid line in /proc/PID/status");
  }
}

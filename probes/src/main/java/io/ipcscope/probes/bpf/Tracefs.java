package io.ipcscope.probes.bpf;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

/** tracefs, which {@code tracepoint/} programs need to find their event ids (not mounted at boot on some hosts). */
public final class Tracefs {
  public static final Path MOUNT_POINT = Path.of("/sys/kernel/tracing");

  private Tracefs() {}

  public static boolean isMounted() {
    return Files.isDirectory(MOUNT_POINT.resolve("events"));
  }

  /** Mounts tracefs at /sys/kernel/tracing unless it already is. */
  public static void ensureMounted() {
    if (isMounted()) {
      return;
    }
    int rc = LibcNative.INSTANCE.mount("nodev", MOUNT_POINT.toString(), "tracefs", 0L, null);
    if (rc < 0) {
      throw new BpfException("mount -t tracefs nodev " + MOUNT_POINT, Native.getLastError());
    }
  }
}

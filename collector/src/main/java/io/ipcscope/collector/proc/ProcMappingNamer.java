package io.ipcscope.collector.proc;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.MappingNamer;
import io.ipcscope.probes.event.IpcEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names mapped files by their full path: an object on the /dev/shm mount is {@code /dev/shm/NAME} (what shm_open
 * made), a memfd is {@code memfd:NAME}, any other file is what {@code /proc/PID/map_files} links the mapping to, while
 * it still exists; else the file's own name from the record.
 */
public final class ProcMappingNamer implements MappingNamer {

  private static final long PAGE = 4096;

  private final Path procRoot;
  private final int devShm;

  ProcMappingNamer(Path procRoot, int devShm) {
    this.procRoot = procRoot;
    this.devShm = devShm;
  }

  /** For this host: /proc, and the device of the tmpfs at /dev/shm (0 when there is none). */
  public static ProcMappingNamer system() {
    int dev = 0;
    try {
      dev = ChannelKey.kernelDev(((Number) Files.getAttribute(Path.of("/dev/shm"), "unix:dev")).longValue());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no /dev/shm: shm_open has nowhere to put objects, and nothing will be named after it
    }
    return new ProcMappingNamer(Path.of("/proc"), dev);
  }

  @Override
  public String name(IpcEvent attach) {
    String own = MappingNamer.withoutDeleted(attach.path());
    if (own.startsWith("memfd:")) {
      return own;
    }
    if (devShm != 0 && attach.channelDev() == devShm && !own.isEmpty()) {
      return "/dev/shm/" + own;
    }
    long start = attach.extra();
    long end = start + (attach.bytes() + PAGE - 1) / PAGE * PAGE;
    Path link = procRoot.resolve(attach.pid() + "/map_files/" + Long.toHexString(start) + "-" + Long.toHexString(end));
    try {
      return MappingNamer.withoutDeleted(Files.readSymbolicLink(link).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return own; // the process or its mapping is gone already
    }
  }
}

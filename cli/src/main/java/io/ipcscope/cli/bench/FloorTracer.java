package io.ipcscope.cli.bench;

import io.ipcscope.probes.bpf.BpfException;
import io.ipcscope.probes.bpf.BpfLink;
import io.ipcscope.probes.bpf.BpfObject;
import io.ipcscope.probes.bpf.Errno;
import io.ipcscope.probes.bpf.Libbpf;
import java.io.IOException;
import java.io.InputStream;

/**
 * An empty program on {@code sys_exit} (floor.bpf.o): what any tool that watches syscall results costs on this
 * kernel before it does anything, the slow syscall path plus one program call per syscall. ipcscope's own ratios
 * are best read against it.
 */
final class FloorTracer implements TracerMode {

  private static final String RESOURCE = "/io/ipcscope/probes/bpf/floor.bpf.o";
  private BpfObject object;
  private BpfLink link;

  @Override
  public String name() {
    return "floor";
  }

  @Override
  public void start(long driverPid, long pongPid) throws IOException {
    Libbpf.ensureLoaded();
    byte[] elf;
    try (InputStream in = FloorTracer.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new BpfException("floor.bpf.o is not in this build", Errno.ENOENT);
      }
      elf = in.readAllBytes();
    }
    object = BpfObject.openMem("floor.bpf.o", elf);
    object.load();
    link = object.programs().get(0).attach();
  }

  @Override
  public String note() {
    return "an empty sys_exit program: the least any syscall hook costs";
  }

  @Override
  public void close() {
    if (link != null) {
      link.close();
      link = null;
    }
    if (object != null) {
      object.close();
      object = null;
    }
  }
}

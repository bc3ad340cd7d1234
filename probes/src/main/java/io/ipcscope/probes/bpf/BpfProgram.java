package io.ipcscope.probes.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** One program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {
  /** sizeof(struct bpf_test_run_opts) in libbpf 1.1, and the offsets used here. */
  private static final int TEST_RUN_OPTS_SIZE = 80;
  private static final int TR_CTX_IN = 32;
  private static final int TR_CTX_SIZE_IN = 48;
  private static final int TR_RETVAL = 56;
  private static final int TR_FLAGS = 68;
  private static final int TR_CPU = 72;
  private static final int BPF_F_TEST_RUN_ON_CPU = 1;

  private final BpfObject object;
  private final Pointer handle;
  private final String name;
  private final String section;

  BpfProgram(BpfObject object, Pointer handle) {
    this.object = object;
    this.handle = handle;
    this.name = Libbpf.lib().bpf_program__name(handle);
    this.section = Libbpf.lib().bpf_program__section_name(handle);
  }

  public String name() {
    return name;
  }

  /** The ELF section, e.g. {@code "tp_btf/sys_exit"}: the hook it attaches to. */
  public String section() {
    return section;
  }

  public BpfObject object() {
    return object;
  }

  /** Before load: whether {@link BpfObject#load()} loads this program. */
  public void setAutoload(boolean autoload) {
    int rc = Libbpf.lib().bpf_program__set_autoload(handle, autoload);
    if (rc < 0) {
      throw new BpfException(object.name() + ": set_autoload " + name, -rc);
    }
  }

  public boolean autoload() {
    return Libbpf.lib().bpf_program__autoload(handle);
  }

  /** The program fd after load, or -1 when it was not loaded. */
  public int fd() {
    int fd = Libbpf.lib().bpf_program__fd(handle);
    return fd < 0 ? -1 : fd;
  }

  /**
   * True for sections libbpf cannot attach without a target (a bare {@code raw_tp} run with test_run, for example).
   */
  public boolean isTestRunOnly() {
    return section.equals("raw_tp") || section.equals("raw_tracepoint") || section.equals("tp_btf")
        || section.equals("syscall");
  }

  /** Attaches to the hook its section names. */
  public BpfLink attach() {
    long mark = Libbpf.logMark();
    Pointer link = Libbpf.lib().bpf_program__attach(handle);
    if (link == null) {
      int errno = Native.getLastError();
      throw new BpfException(object.name() + ": attach " + section, errno == 0 ? Errno.EINVAL : errno,
          Libbpf.logSince(mark));
    }
    return new BpfLink(object.name() + ":" + name, link);
  }

  /** struct bpf_uprobe_opts of libbpf 1.1: sz, ref_ctr_offset, bpf_cookie, retprobe, func_name (all unused). */
  private static final int UPROBE_OPTS_SIZE = 40;

  /** True for a bare {@code uprobe} section: its target is given at attach time ({@link #attachUprobe}). */
  public boolean isUprobe() {
    return section.equals("uprobe");
  }

  /**
   * Attaches as a uprobe at the entry of {@code function} of the ELF file {@code binary}, in every process. The
   * function is found here ({@link ElfSymbols}), not by libbpf, which refuses glibc's versioned names.
   */
  public BpfLink attachUprobe(String binary, String function) {
    long offset;
    try {
      offset = ElfSymbols.functionOffset(java.nio.file.Path.of(binary), function);
    } catch (java.io.IOException e) {
      throw new BpfException(object.name() + ": attach uprobe " + binary + ":" + function, Errno.ENOENT,
          e.getMessage());
    }
    Memory opts = new Memory(UPROBE_OPTS_SIZE);
    opts.clear();
    opts.setLong(0, UPROBE_OPTS_SIZE);
    long mark = Libbpf.logMark();
    Pointer link = Libbpf.lib().bpf_program__attach_uprobe_opts(handle, -1, binary, offset, opts);
    int errno = Native.getLastError();
    if (link == null) {
      throw new BpfException(object.name() + ": attach uprobe " + binary + ":" + function,
          errno == 0 ? Errno.EINVAL : errno, Libbpf.logSince(mark));
    }
    return new BpfLink(object.name() + ":" + name, link);
  }

  /**
   * Runs the program once with {@code BPF_PROG_TEST_RUN} (raw_tp, syscall...) with {@code ctx} as its context;
   * returns the program's return value.
   */
  public int testRun(long... ctx) {
    return testRunOn(-1, ctx);
  }

  /**
   * Runs the program once on {@code cpu} (-1: the caller's CPU) with {@code BPF_PROG_TEST_RUN}; raw_tp programs
   * only. Returns the program's return value.
   */
  public int testRunOn(int cpu, long... ctx) {
    int fd = fd();
    if (fd < 0) {
      throw new BpfException(object.name() + ": test_run " + name + " (not loaded)", Errno.ENOENT);
    }
    Memory opts = new Memory(TEST_RUN_OPTS_SIZE);
    opts.clear();
    opts.setLong(0, TEST_RUN_OPTS_SIZE);
    Memory ctxMem = null;
    if (ctx.length > 0) { // the kernel refuses a context pointer with a zero size
      ctxMem = new Memory(ctx.length * 8L);
      for (int i = 0; i < ctx.length; i++) {
        ctxMem.setLong(i * 8L, ctx[i]);
      }
      opts.setPointer(TR_CTX_IN, ctxMem);
      opts.setInt(TR_CTX_SIZE_IN, ctx.length * 8);
    }
    if (cpu >= 0) {
      opts.setInt(TR_FLAGS, BPF_F_TEST_RUN_ON_CPU);
      opts.setInt(TR_CPU, cpu);
    }
    int rc = Libbpf.lib().bpf_prog_test_run_opts(fd, opts);
    java.lang.ref.Reference.reachabilityFence(ctxMem); // opts points into it until the call returns
    if (rc < 0) {
      throw new BpfException(object.name() + ": test_run " + name, -rc);
    }
    return opts.getInt(TR_RETVAL);
  }

  @Override
  public String toString() {
    return object.name() + ":" + name + " (" + section + ")";
  }
}

package io.ipcscope.probes.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An opened (and later loaded) BPF ELF object. Order of use: {@link #openMem} → configure maps and programs →
 * {@link #load()} → attach programs → {@link #close()}. Not thread-safe.
 */
public final class BpfObject implements AutoCloseable {
  /** sizeof(struct bpf_object_open_opts) in libbpf 1.1. */
  private static final int OPEN_OPTS_SIZE = 80;
  private static final int OPEN_OPTS_OBJECT_NAME = 8;

  private final String name;
  private Pointer handle;
  /** libbpf reads the ELF from this buffer until load: keep it alive with the object. */
  @SuppressWarnings("unused")
  private final Memory elf;
  private final List<BpfProgram> programs;
  private boolean loaded;

  private BpfObject(String name, Pointer handle, Memory elf) {
    this.name = name;
    this.handle = handle;
    this.elf = elf;
    List<BpfProgram> progs = new ArrayList<>();
    LibbpfNative lib = Libbpf.lib();
    for (Pointer p = lib.bpf_object__next_program(handle, null); p != null; p = lib.bpf_object__next_program(handle, p)) {
      progs.add(new BpfProgram(this, p));
    }
    this.programs = Collections.unmodifiableList(progs);
  }

  /** Opens an object from its ELF bytes; {@code name} (e.g. "pipe.bpf.o") names it in errors and in libbpf's log. */
  public static BpfObject openMem(String name, byte[] elfBytes) {
    LibbpfNative lib = Libbpf.lib();
    Memory elf = new Memory(elfBytes.length);
    elf.write(0, elfBytes, 0, elfBytes.length);
    Memory opts = new Memory(OPEN_OPTS_SIZE);
    opts.clear();
    opts.setLong(0, OPEN_OPTS_SIZE);
    String objectName = name.endsWith(".bpf.o") ? name.substring(0, name.length() - ".bpf.o".length()) : name;
    Memory nameMem = new Memory(objectName.length() + 1L);
    nameMem.setString(0, objectName, "US-ASCII");
    opts.setPointer(OPEN_OPTS_OBJECT_NAME, nameMem);
    long mark = Libbpf.logMark();
    Pointer h = lib.bpf_object__open_mem(elf, elfBytes.length, opts);
    if (h == null) {
      throw new BpfException("opening " + name, Native.getLastError(), Libbpf.logSince(mark));
    }
    return new BpfObject(name, h, elf);
  }

  public String name() {
    return name;
  }

  /** Programs in ELF order. */
  public List<BpfProgram> programs() {
    return programs;
  }

  public Optional<BpfProgram> program(String programName) {
    return programs.stream().filter(p -> p.name().equals(programName)).findFirst();
  }

  public Optional<BpfMap> findMap(String mapName) {
    Pointer m = Libbpf.lib().bpf_object__find_map_by_name(handle(), mapName);
    return m == null ? Optional.empty() : Optional.of(new BpfMap(this, m));
  }

  /** The map, or a {@link BpfException} ENOENT naming the object. */
  public BpfMap map(String mapName) {
    return findMap(mapName).orElseThrow(() -> new BpfException(name + ": map '" + mapName + "'", Errno.ENOENT));
  }

  /**
   * Creates the maps and loads the programs left with autoload on. On failure the message carries libbpf's and the
   * verifier's words. libbpf allows one load attempt per object: to retry, open the object again.
   */
  public void load() {
    if (loaded) {
      throw new IllegalStateException(name + " already loaded");
    }
    loaded = true;
    long mark = Libbpf.logMark();
    int rc = Libbpf.lib().bpf_object__load(handle());
    if (rc < 0) {
      throw new BpfException("loading " + name, -rc, Libbpf.logSince(mark));
    }
  }

  public boolean isLoaded() {
    return loaded;
  }

  Pointer handle() {
    if (handle == null) {
      throw new IllegalStateException(name + " is closed");
    }
    return handle;
  }

  /** Closes the object: its program and map fds; links must be destroyed first (they hold their own references). */
  @Override
  public void close() {
    if (handle != null) {
      Libbpf.lib().bpf_object__close(handle);
      handle = null;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

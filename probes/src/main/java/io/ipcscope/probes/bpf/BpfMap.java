package io.ipcscope.probes.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/** One map of a {@link BpfObject}: configure before load, read and write its elements after. */
public final class BpfMap {
  private final BpfObject object;
  private final Pointer handle;
  private final String name;

  BpfMap(BpfObject object, Pointer handle) {
    this.object = object;
    this.handle = handle;
    this.name = Libbpf.lib().bpf_map__name(handle);
  }

  public String name() {
    return name;
  }

  private String where() {
    return object.name() + ": map '" + name + "'";
  }

  /** The map fd once loaded (or reused), else -1. */
  public int fd() {
    int fd = Libbpf.lib().bpf_map__fd(handle);
    return fd < 0 ? -1 : fd;
  }

  public int maxEntries() {
    return Libbpf.lib().bpf_map__max_entries(handle);
  }

  public int keySize() {
    return Libbpf.lib().bpf_map__key_size(handle);
  }

  public int valueSize() {
    return Libbpf.lib().bpf_map__value_size(handle);
  }

  /** Before load. For a ring buffer: its size in bytes, a power of two multiple of the page size. */
  public void setMaxEntries(int maxEntries) {
    int rc = Libbpf.lib().bpf_map__set_max_entries(handle, maxEntries);
    if (rc < 0) {
      throw new BpfException(where() + ": set_max_entries " + maxEntries, -rc);
    }
  }

  /** Before load: use the already created map behind {@code fd} instead of creating one (maps shared by objects). */
  public void reuseFd(int fd) {
    int rc = Libbpf.lib().bpf_map__reuse_fd(handle, fd);
    if (rc < 0) {
      throw new BpfException(where() + ": reuse_fd " + fd, -rc);
    }
  }

  /**
   * Before load: the initial contents of a global-data map ({@code .rodata}, {@code .data}, {@code .bss}) as a writable
   * little-endian buffer over libbpf's copy; writes to it are what the kernel gets at load.
   */
  public ByteBuffer initialValue() {
    LongByReference size = new LongByReference();
    Pointer p = Libbpf.lib().bpf_map__initial_value(handle, size);
    if (p == null) {
      throw new BpfException(where() + ": initial_value (not a global-data map, or already loaded)", Errno.EINVAL);
    }
    return p.getByteBuffer(0, size.getValue()).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Looks {@code key} up into {@code value} (sized {@link #valueSize()} times CPUs for per-CPU maps); false if absent. */
  public boolean lookup(Memory key, Memory value) {
    int rc = Libbpf.lib().bpf_map_lookup_elem(checkedFd(), key, value);
    if (rc < 0) {
      if (-rc == Errno.ENOENT) {
        return false;
      }
      throw new BpfException(where() + ": lookup", -rc);
    }
    return true;
  }

  public boolean delete(Memory key) {
    int rc = Libbpf.lib().bpf_map_delete_elem(checkedFd(), key);
    if (rc < 0) {
      if (-rc == Errno.ENOENT) {
        return false;
      }
      throw new BpfException(where() + ": delete", -rc);
    }
    return true;
  }

  /**
   * Calls {@code action} with each (key, value) of a hash map, in the kernel's order; the buffers are reused between
   * calls. {@code valueBytes} is the size of one lookup result (valueSize, or valueSize rounded to 8 times CPUs).
   */
  public void forEach(int valueBytes, BiConsumer<ByteBuffer, ByteBuffer> action) {
    int fd = checkedFd();
    int ks = keySize();
    Memory prev = new Memory(ks);
    Memory next = new Memory(ks);
    Memory value = new Memory(valueBytes);
    ByteBuffer keyView = next.getByteBuffer(0, ks).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer valueView = value.getByteBuffer(0, valueBytes).order(ByteOrder.LITTLE_ENDIAN);
    LibbpfNative lib = Libbpf.lib();
    Pointer prevKey = null;
    while (true) {
      int rc = lib.bpf_map_get_next_key(fd, prevKey, next);
      if (rc < 0) {
        if (-rc == Errno.ENOENT) {
          return;
        }
        throw new BpfException(where() + ": get_next_key", -rc);
      }
      rc = lib.bpf_map_lookup_elem(fd, next, value);
      if (rc == 0) {
        action.accept(keyView.clear(), valueView.clear());
      } else if (-rc != Errno.ENOENT) { // deleted between the two calls: skip it
        throw new BpfException(where() + ": lookup", -rc);
      }
      prev.write(0, next.getByteArray(0, ks), 0, ks);
      prevKey = prev;
    }
  }

  private int checkedFd() {
    int fd = fd();
    if (fd < 0) {
      throw new BpfException(where() + " (not loaded)", Errno.EINVAL);
    }
    return fd;
  }

  @Override
  public String toString() {
    return where();
  }
}

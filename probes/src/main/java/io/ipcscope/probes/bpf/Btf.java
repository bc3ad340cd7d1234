package io.ipcscope.probes.bpf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The BTF type information of an ELF file (a compiled .bpf.o), for checking struct layouts against Java's. */
public final class Btf implements AutoCloseable {
  private static final int BTF_KIND_STRUCT = 4;
  private static final int BTF_TYPE_SIZE = 12;
  private static final int BTF_MEMBER_SIZE = 12;

  /** A struct member: offsets and sizes in bytes (bitfields keep their bit offset in {@link #bitOffset}). */
  public record Member(String name, int bitOffset, int bitfieldSize, long size) {
    public int offset() {
      return bitOffset / 8;
    }
  }

  public record Struct(String name, long size, List<Member> members) {
    public Optional<Member> member(String memberName) {
      return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }
  }

  private final String source;
  private Pointer handle;

  private Btf(String source, Pointer handle) {
    this.source = source;
    this.handle = handle;
  }

  /** Parses the {@code .BTF} section of an ELF file. */
  public static Btf parseElf(Path elf) {
    Pointer h = Libbpf.lib().btf__parse_elf(elf.toString(), null);
    if (h == null) {
      throw new BpfException("parsing BTF of " + elf, Native.getLastError());
    }
    return new Btf(elf.toString(), h);
  }

  /** The layout of {@code struct name}, if the BTF has it. */
  public Optional<Struct> struct(String name) {
    LibbpfNative lib = Libbpf.lib();
    int id = lib.btf__find_by_name_kind(handle(), name, BTF_KIND_STRUCT);
    if (id < 0) {
      if (-id == Errno.ENOENT) {
        return Optional.empty();
      }
      throw new BpfException(source + ": find struct " + name, -id);
    }
    Pointer t = lib.btf__type_by_id(handle, id);
    int info = t.getInt(4);
    int vlen = info & 0xFFFF;
    boolean kindFlag = (info >>> 31) != 0;
    long size = Integer.toUnsignedLong(t.getInt(8));
    List<Member> members = new ArrayList<>(vlen);
    for (int i = 0; i < vlen; i++) {
      long base = BTF_TYPE_SIZE + (long) i * BTF_MEMBER_SIZE;
      String memberName = lib.btf__name_by_offset(handle, t.getInt(base));
      int type = t.getInt(base + 4);
      int offset = t.getInt(base + 8);
      int bitOffset = kindFlag ? offset & 0xFFFFFF : offset;
      int bitfieldSize = kindFlag ? offset >>> 24 : 0;
      long memberSize = lib.btf__resolve_size(handle, type);
      members.add(new Member(memberName == null ? "" : memberName, bitOffset, bitfieldSize, memberSize));
    }
    return Optional.of(new Struct(name, size, List.copyOf(members)));
  }

  private Pointer handle() {
    if (handle == null) {
      throw new IllegalStateException("closed");
    }
    return handle;
  }

  @Override
  public void close() {
    if (handle != null) {
      Libbpf.lib().btf__free(handle);
      handle = null;
    }
  }
}

package io.ipcscope.probes.bpf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds a function's file offset in a shared library, for uprobes. libbpf 1.1 refuses a name that several versioned
 * symbols share ({@code sem_post@GLIBC_2.2.5} and {@code sem_post@@GLIBC_2.34} are both "sem_post" in the dynamic
 * symbol table) even when they are one function at one address, which is how glibc exports most of its API.
 */
public final class ElfSymbols {

  private static final int SHT_DYNSYM = 11;
  private static final int STT_FUNC = 2;
  private static final int PT_LOAD = 1;

  private ElfSymbols() {}

  /**
   * The file offset of the function {@code name} in the 64-bit little-endian ELF file {@code path}.
   *
   * @throws IOException when the file cannot be read, is not such an ELF file, has no such function, or has two
   *     functions of that name at different addresses
   */
  public static long functionOffset(Path path, String name) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
      if (elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
        throw new IOException(path + " is not a 64-bit little-endian ELF file");
      }
      long address = symbolAddress(elf, name, path);
      return fileOffset(elf, address, path);
    }
  }

  private static long symbolAddress(ByteBuffer elf, String name, Path path) throws IOException {
    long shoff = elf.getLong(0x28);
    int shentsize = elf.getShort(0x3a) & 0xffff;
    int shnum = elf.getShort(0x3c) & 0xffff;
    byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
    long found = -1;
    for (int i = 0; i < shnum; i++) {
      int sh = (int) (shoff + (long) i * shentsize);
      if (elf.getInt(sh + 4) != SHT_DYNSYM) {
        continue;
      }
      int symOff = (int) elf.getLong(sh + 0x18);
      int symSize = (int) elf.getLong(sh + 0x20);
      int entSize = (int) elf.getLong(sh + 0x38);
      int strSh = (int) (shoff + (long) elf.getInt(sh + 0x28) * shentsize);
      int strOff = (int) elf.getLong(strSh + 0x18);
      for (int s = symOff; s + entSize <= symOff + symSize; s += entSize) {
        long value = elf.getLong(s + 8);
        if ((elf.get(s + 4) & 0xf) != STT_FUNC || value == 0 || !nameIs(elf, strOff + elf.getInt(s), wanted)) {
          continue;
        }
        if (found >= 0 && found != value) {
          throw new IOException(path + ": two functions named " + name + " at different addresses");
        }
        found = value;
      }
    }
    if (found < 0) {
      throw new IOException(path + " has no function " + name);
    }
    return found;
  }

  private static boolean nameIs(ByteBuffer elf, int at, byte[] wanted) {
    for (int i = 0; i < wanted.length; i++) {
      if (elf.get(at + i) != wanted[i]) {
        return false;
      }
    }
    return elf.get(at + wanted.length) == 0;
  }

  /** Maps a virtual address to its offset in the file through the loadable segments. */
  private static long fileOffset(ByteBuffer elf, long address, Path path) throws IOException {
    long phoff = elf.getLong(0x20);
    int phentsize = elf.getShort(0x36) & 0xffff;
    int phnum = elf.getShort(0x38) & 0xffff;
    for (int i = 0; i < phnum; i++) {
      int ph = (int) (phoff + (long) i * phentsize);
      long vaddr = elf.getLong(ph + 0x10);
      long filesz = elf.getLong(ph + 0x20);
      if (elf.getInt(ph) == PT_LOAD && address >= vaddr && address < vaddr + filesz) {
        return address - vaddr + elf.getLong(ph + 0x08);
      }
    }
    throw new IOException(path + ": address 0x" + Long.toHexString(address) + " is in no loadable segment");
  }
}

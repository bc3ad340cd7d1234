package io.ipcscope.agent.transform;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Woven class files kept on disk, so that only the first JVM of a JDK build pays for Byte Buddy. The directory is per
 * agent build and JDK installation (see {@link CacheDirectory}), so a JDK class is keyed by its name alone: the class
 * file a JVM offers for a class it retransforms is rebuilt from the loaded class, and differs from run to run (JDK 25
 * rebuilt sun.nio.ch.DatagramChannelImpl two ways), while any of them woven is this JDK's class. A class of another
 * loader (JNA's) is keyed by its name and a checksum of the class file offered: another JNA version misses.
 *
 * <p>An instrumented JDK class goes into the bootstrap class loader, which does not verify it, so a damaged entry
 * must never be returned: each ends with a CRC-32C of its content and a marker, and is written to a temporary file
 * and renamed into place, so that a reader sees a whole entry or none.
 *
 * <p>Only java.io here, whose classes the JVM loaded before any agent: this runs inside the class file transformer,
 * and a class first loaded there is transformed on the way, by this same code. java.nio.file's reads load
 * FileChannelImpl, which is instrumented: it would then escape instrumentation (ClassCircularityError, swallowed).
 */
final class TransformCache {

  /** Ends every entry, after the checksum: "IPCS". */
  private static final int MARKER = 0x49504353;
  private static final int TRAILER = 8;

  private final File directory;

  TransformCache(Path directory) {
    this.directory = directory.toFile();
  }

  Path directory() {
    return directory.toPath();
  }

  /** Whether it holds no class yet: the first start of this agent build. */
  boolean isEmpty() {
    String[] names = directory.list((dir, name) -> name.endsWith(".class"));
    return names == null || names.length == 0;
  }

  /** The woven class file for this original, or null when there is none (or it is damaged: then it is removed). */
  byte[] find(String internalName, boolean jdkClass, byte[] original) {
    File entry = entry(internalName, jdkClass, original);
    byte[] stored;
    try (FileInputStream in = new FileInputStream(entry)) {
      stored = in.readAllBytes();
    } catch (IOException e) {
      return null; // none yet, the usual case on a JDK build's first start
    }
    if (stored.length <= TRAILER) {
      entry.delete();
      return null;
    }
    ByteBuffer trailer = ByteBuffer.wrap(stored, stored.length - TRAILER, TRAILER);
    int checksum = trailer.getInt();
    if (trailer.getInt() != MARKER || checksum != crc32c(stored, stored.length - TRAILER)) {
      entry.delete();
      return null;
    }
    byte[] woven = new byte[stored.length - TRAILER];
    System.arraycopy(stored, 0, woven, 0, woven.length);
    return woven;
  }

  /** Keeps a woven class file; a failure to write only means the next JVM weaves it again. */
  void store(String internalName, boolean jdkClass, byte[] original, byte[] woven) {
    File entry = entry(internalName, jdkClass, original);
    // the directory is the user's alone (CacheDirectory), so a name of our own is enough to write in peace
    File partial = new File(entry.getPath() + "." + Thread.currentThread().getId() + "-"
        + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (FileOutputStream out = new FileOutputStream(partial)) {
        out.write(woven);
        out.write(ByteBuffer.allocate(TRAILER).putInt(crc32c(woven, woven.length)).putInt(MARKER).array());
      }
      if (!partial.renameTo(entry)) {
        partial.delete();
      }
    } catch (IOException | RuntimeException e) {
      partial.delete(); // a full disk, a directory removed under us: this JVM is instrumented anyway
    }
  }

  /**
   * {@code java.io.FileInputStream.class} for a JDK class; {@code com.sun.jna.Function-5f3a-1c2b3d4e5f607182.class}
   * for another: the name, the original's length and its CRC-32 and CRC-32C.
   */
  File entry(String internalName, boolean jdkClass, byte[] original) {
    if (jdkClass) {
      return new File(directory, internalName.replace('/', '.') + ".class");
    }
    CRC32 crc32 = new CRC32();
    crc32.update(original);
    // not String.format: its Formatter would be loaded at start-up for this alone
    return new File(directory, internalName.replace('/', '.') + '-' + Integer.toHexString(original.length) + '-'
        + hex8((int) crc32.getValue()) + hex8(crc32c(original, original.length)) + ".class");
  }

  private static String hex8(int value) {
    String hex = Integer.toHexString(value);
    return "00000000".substring(hex.length()) + hex;
  }

  private static int crc32c(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}

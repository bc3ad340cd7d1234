package io.ipcscope.agent.target;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Target app: maps a regular file three ways and a /dev/shm object once, then locks the regular file: lock and
 * release, tryLock (shared) closed with the lock, lock() of the whole file, and a tryLock that fails because a child
 * JVM ({@link Holder}) holds that range. Prints the files' kernel names and inodes for the test to compare.
 */
public final class MappedFileLocks {

  public static void main(String[] args) throws Exception {
    Path file = Paths.get(args[0]).resolve("data.bin");
    Files.write(file, new byte[8192]);
    Path shm = Paths.get("/dev/shm/ipcscope-it-" + ProcessHandle.current().pid());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel shared = FileChannel.open(shm, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      System.out.println("file " + file.toRealPath());
      System.out.println("file.inode " + Files.getAttribute(file, "unix:ino"));
      System.out.println("shm " + shm);
      System.out.println("shm.inode " + Files.getAttribute(shm, "unix:ino"));
      ch.map(MapMode.READ_WRITE, 0, 4096).put(0, (byte) 1);
      ch.map(MapMode.READ_ONLY, 1024, 512).get(0);
      ch.map(MapMode.PRIVATE, 4096, 100).put(0, (byte) 2);
      System.out.println("segment " + mapSegment(ch));
      shared.map(MapMode.READ_WRITE, 0, 65536).put(0, (byte) 3);

      FileLock first = ch.lock(0, 100, false);
      first.release();
      try (FileLock second = ch.tryLock(200, 50, true)) {
        System.out.println("second " + (second != null));
      }
      ch.lock().release();

      Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
          System.getProperty("java.class.path"), Holder.class.getName(), file.toString()).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
      if (!"locked".equals(out.readLine())) {
        throw new IllegalStateException("holder did not lock");
      }
      System.out.println("refused " + (ch.tryLock(1000, 10, false) == null));
      holder.getOutputStream().close();
      System.out.println("holder " + holder.waitFor());
    } finally {
      Files.deleteIfExists(shm); // not DELETE_ON_CLOSE: the JDK unlinks that at once, and /proc says "(deleted)"
    }
  }

  /**
   * JDK 22+: {@code map(READ_WRITE, 2048, 256, Arena.ofAuto())}, through reflection (the tests compile for 17).
   *
   * @return whether this JDK has it
   */
  private static boolean mapSegment(FileChannel ch) throws Exception {
    Class<?> arena;
    try {
      arena = Class.forName("java.lang.foreign.Arena");
    } catch (ClassNotFoundException e) {
      return false;
    }
    Object auto = arena.getMethod("ofAuto").invoke(null);
    FileChannel.class.getMethod("map", MapMode.class, long.class, long.class, arena)
        .invoke(ch, MapMode.READ_WRITE, 2048L, 256L, auto);
    return true;
  }

  /** Holds an exclusive lock on bytes 1000-1999 of the file until its stdin closes. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (FileChannel ch = FileChannel.open(Paths.get(args[0]), StandardOpenOption.WRITE);
          FileLock lock = ch.lock(1000, 1000, false)) {
        System.out.println("locked");
        System.out.flush();
        System.in.read();
      }
    }
  }
}

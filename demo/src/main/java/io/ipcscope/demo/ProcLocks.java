package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file locks of the host as /proc/locks lists them (proc(5)): one line per held lock, each
 * followed by the requests blocked on it, marked {@code ->}:
 *
 * <pre>
 * 1: FLOCK  ADVISORY  WRITE 1762 fe:00:2146948 0 EOF
 * 1: -> FLOCK  ADVISORY  WRITE 1781 fe:00:2146948 0 EOF
 * </pre>
 *
 * <p>Locks are matched by inode number only: the device there is the superblock's, which stat(2)
 * does not always report (btrfs subvolumes, overlayfs), and the pid of a demo child narrows it
 * down enough.
 */
final class ProcLocks {

  static final Path FILE = Path.of("/proc/locks");

  /** "FLOCK" (flock(2)), "POSIX" (fcntl record locks), "OFDLCK", "LEASE", ... */
  static final String FLOCK = "FLOCK";
  static final String POSIX = "POSIX";

  /** "ID: [-> ]TYPE MODE ACCESS PID MAJ:MIN:INODE START END"; OFD locks show pid -1. */
  private static final Pattern LINE = Pattern.compile(
      "\\s*\\d+:\\s+(->\\s+)?(\\S+)\\s+\\S+\\s+\\S+\\s+(-?\\d+)\\s+[0-9a-fA-F]+:[0-9a-fA-F]+:(\\d+)\\s+.*");

  /** One line: a lock held by {@code pid}, or ({@code blocked}) its request waiting for one. */
  record Entry(boolean blocked, String type, long pid, long inode) {}

  private ProcLocks() {}

  /** The entries of /proc/locks text; lines that do not parse are skipped. */
  static List<Entry> parse(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        entries.add(new Entry(m.group(1) != null, m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
      }
    }
    return entries;
  }

  static List<Entry> read() throws IOException {
    return parse(Files.readString(FILE));
  }

  /** True if {@code pid} holds a lock of {@code type} on inode {@code inode}. */
  static boolean holds(List<Entry> entries, String type, long inode, long pid) {
    return entries.contains(new Entry(false, type, pid, inode));
  }

  /** True if a request of {@code pid} for a lock of {@code type} on inode {@code inode} is blocked. */
  static boolean waits(List<Entry> entries, String type, long inode, long pid) {
    return entries.contains(new Entry(true, type, pid, inode));
  }

  /** True if {@code pid} neither holds nor waits for a lock of {@code type} on inode {@code inode}. */
  static boolean absent(List<Entry> entries, String type, long inode, long pid) {
    return !holds(entries, type, inode, pid) && !waits(entries, type, inode, pid);
  }
}

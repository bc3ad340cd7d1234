package io.ipcscope.collector.proc;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.pipeline.HostSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what existed before tracing started from /proc: every process (pid, start time, parent, comm, exe) and every
 * pipe and FIFO end it holds, with its access mode. Processes come and go while it reads; whatever vanished is
 * skipped.
 */
public final class ProcScanner {

  private static final int O_ACCMODE = 3;

  private final Path procRoot;

  public ProcScanner(Path procRoot) {
    this.procRoot = procRoot;
  }

  public static ProcScanner system() {
    return new ProcScanner(Path.of("/proc"));
  }

  /** Seeds both tables; returns the number of processes read. */
  public int seed(ProcessTable processes, ChannelTable channels) {
    return snapshot().seed(processes, channels);
  }

  /** Every process now, and the pipe and FIFO ends each holds. */
  public HostSnapshot snapshot() {
    List<ProcessInfo> found = new ArrayList<>();
    List<HostSnapshot.Holding> holdings = new ArrayList<>();
    for (int pid : pids()) {
      readProcess(pid).ifPresent(p -> {
        found.add(p);
        for (OpenEnd end : openEnds(pid)) {
          holdings.add(new HostSnapshot.Holding(end.channel(), pid, end.mode() != 1, end.mode() != 0, end.path()));
        }
      });
    }
    return new HostSnapshot(found, holdings);
  }

  List<Integer> pids() {
    List<Integer> pids = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(procRoot)) {
      for (Path entry : dir) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          pids.add(Integer.parseInt(name));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return pids;
  }

  /** Parses /proc/PID/stat: the comm field may hold spaces and parentheses, so split after its last ')'. */
  public Optional<ProcessInfo> readProcess(int pid) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String comm = stat.substring(open + 1, close);
      String[] rest = stat.substring(close + 2).trim().split(" ");
      int parent = Integer.parseInt(rest[1]); // field 4
      long startTicks = Long.parseLong(rest[19]); // field 22
      String exe = readLink(dir.resolve("exe")).orElse("");
      return Optional.of(new ProcessInfo(new ProcessKey(pid, startTicks), parent, comm, exe, 0, 0));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone, or a kernel thread without the fields we need
    }
  }

  /**
   * The command line (/proc/PID/cmdline, NULs as spaces, cut as the probes cut it), the real uid (/proc/PID/status)
   * and the cgroup v2 path (/proc/PID/cgroup) of a process; what cannot be read stays unknown.
   */
  public ProcessDetails details(int pid) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    String commandLine = "";
    int uid = -1;
    String cgroup = "";
    try {
      byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
      int end = raw.length;
      while (end > 0 && raw[end - 1] == 0) {
        end--;
      }
      end = Math.min(end, MAX_COMMAND_LINE);
      for (int i = 0; i < end; i++) {
        raw[i] = raw[i] == 0 ? (byte) ' ' : raw[i];
      }
      commandLine = new String(raw, 0, end, java.nio.charset.StandardCharsets.UTF_8);
      for (String line : Files.readAllLines(dir.resolve("status"))) {
        if (line.startsWith("Uid:")) {
          uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        }
      }
      for (String line : Files.readAllLines(dir.resolve("cgroup"))) {
        if (line.startsWith("0::")) {
          cgroup = line.substring(3);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or a kernel thread: what was read so far is what is known
    }
    return new ProcessDetails(commandLine, uid, cgroup);
  }

  /** The probes keep 127 bytes of a command line; /proc is cut the same way so both read alike. */
  private static final int MAX_COMMAND_LINE = 127;

  /** One pipe or FIFO end in a process's fd table. {@code mode}: 0 read, 1 write, 2 both. */
  private record OpenEnd(ChannelKey channel, int mode, String path) {}

  /** The pipes and FIFOs a process has open now (empty if it is gone or not ours to read). */
  public Set<ChannelKey> openChannels(int pid) {
    Set<ChannelKey> open = new HashSet<>();
    openEnds(pid).forEach(end -> open.add(end.channel()));
    return open;
  }

  private List<OpenEnd> openEnds(int pid) {
    List<OpenEnd> ends = new ArrayList<>();
    Path fdDir = procRoot.resolve(pid + "/fd");
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        Optional<String> target = readLink(fd);
        if (target.isEmpty()) {
          continue;
        }
        String link = target.get();
        if (link.startsWith("pipe:[")) {
          long inode = Long.parseLong(link.substring(6, link.length() - 1));
          ends.add(new OpenEnd(ChannelKey.pipe(inode), accessMode(pid, fd.getFileName().toString()), ""));
        } else if (link.startsWith("/")) {
          fifoKey(fd).ifPresent(key -> ends.add(new OpenEnd(key, accessMode(pid, fd.getFileName().toString()), link)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process exited, or its fds are not ours to read
    }
    return ends;
  }

  /** The FIFO an fd points to, by stat through the /proc link (which follows it to the file itself). */
  static Optional<ChannelKey> fifoKey(Path fdLink) {
    try {
      Map<String, Object> attrs = Files.readAttributes(fdLink, "unix:mode,dev,ino");
      int mode = (Integer) attrs.get("mode");
      if ((mode & 0170000) != 0010000) {
        return Optional.empty();
      }
      long dev = (Long) attrs.get("dev");
      long ino = (Long) attrs.get("ino");
      return Optional.of(ChannelKey.fifo(ChannelKey.kernelDev(dev), ino));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** 0 read-only, 1 write-only, 2 read-write (from fdinfo's octal flags); 2 when unreadable. */
  private int accessMode(int pid, String fd) {
    try {
      for (String line : Files.readAllLines(procRoot.resolve(pid + "/fdinfo/" + fd))) {
        if (line.startsWith("flags:")) {
          return Integer.parseInt(line.substring(6).trim(), 8) & O_ACCMODE;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return 2;
  }

  private static Optional<String> readLink(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

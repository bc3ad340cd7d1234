package io.ipcscope.collector.model;

/**
 * What a process is beyond its name: its command line, owner and container. Inherited at fork; at exec the command
 * line comes from the kernel record, the owner and cgroup from /proc when the process is still there to read.
 *
 * @param commandLine arguments joined by spaces (cut at about 127 bytes by the probes); "" when unknown
 * @param uid the real user id; -1 when unknown
 * @param cgroup the cgroup v2 path (/proc/PID/cgroup's "0::" line); "" when unknown
 */
public record ProcessDetails(String commandLine, int uid, String cgroup) {

  public static final ProcessDetails UNKNOWN = new ProcessDetails("", -1, "");

  /** The same process after exec: a new command line, the rest as it was unless {@code fresh} knows better. */
  ProcessDetails afterExec(String newCommandLine, ProcessDetails fresh) {
    return new ProcessDetails(newCommandLine.isEmpty() ? fresh.commandLine : newCommandLine,
        fresh.uid >= 0 ? fresh.uid : uid, fresh.cgroup.isEmpty() ? cgroup : fresh.cgroup);
  }

  /**
   * The container the process runs in, from its cgroup as Docker, containerd, CRI-O and Kubernetes name them: the
   * 64-hex-digit id in {@code .../docker-<id>.scope}, {@code .../cri-containerd-<id>.scope}, {@code .../crio-<id>},
   * {@code /docker/<id>}, {@code /kubepods/.../<id>}. "" outside containers.
   */
  public String containerId() {
    String[] parts = cgroup.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      String part = parts[i];
      if (part.endsWith(".scope")) {
        part = part.substring(0, part.length() - ".scope".length());
      }
      int dash = part.lastIndexOf('-');
      String candidate = dash >= 0 ? part.substring(dash + 1) : part;
      if (candidate.length() == 64 && candidate.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return candidate;
      }
    }
    return "";
  }
}

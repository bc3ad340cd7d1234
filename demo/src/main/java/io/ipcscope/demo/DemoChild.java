package io.ipcscope.demo;

/**
 * Main class of the child JVMs: {@code DemoChild WORKLOAD ROLE ...} plays one role of one workload.
 * Exit 0 on success, 1 on failure (one line on stderr), {@value ChildContext#ORPHANED} when the
 * parent went away. Never prints to stdout: for some roles stdout is a workload pipe.
 */
public final class DemoChild {

  private DemoChild() {}

  public static void main(String[] args) {
    String who = "demo child";
    try {
      ChildContext child = ChildContext.parse(args);
      who = "demo " + child.workload() + " " + child.role() + " (pid " + ProcessHandle.current().pid() + ")";
      Workload workload =
          Workloads.find(child.workload())
              .orElseThrow(() -> new IllegalArgumentException("unknown workload " + args[0]));
      workload.child(child.role(), child);
      child.writeReport();
    } catch (Throwable t) {
      System.err.println(who + ": " + t);
      System.exit(1);
    }
    System.exit(0);
  }
}

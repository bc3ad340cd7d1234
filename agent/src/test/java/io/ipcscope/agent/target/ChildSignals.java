package io.ipcscope.agent.target;

import java.io.InputStream;

/**
 * Target app: {@code Runtime.exec} of a shell that writes 5 bytes to stderr, read to the end; then a {@code sleep}
 * stopped with destroy (SIGTERM) and another with destroyForcibly (SIGKILL) through its ProcessHandle.
 */
public final class ChildSignals {

  public static void main(String[] args) throws Exception {
    Process shell = Runtime.getRuntime().exec(new String[] {"sh", "-c", "printf oops >&2"});
    InputStream err = shell.getErrorStream();
    byte[] buffer = new byte[64];
    int total = 0;
    for (int n; (n = err.read(buffer)) > 0; ) {
      total += n;
    }
    System.out.println("stderr-bytes " + total);
    System.out.println("shell " + shell.pid() + " exit " + shell.waitFor());

    Process term = new ProcessBuilder("sleep", "60").start();
    System.out.println("term " + term.pid());
    term.destroy();
    System.out.println("term-exit " + term.waitFor());

    Process kill = new ProcessBuilder("sleep", "60").start();
    System.out.println("kill " + kill.pid());
    kill.toHandle().destroyForcibly();
    System.out.println("kill-exit " + kill.waitFor());
  }
}

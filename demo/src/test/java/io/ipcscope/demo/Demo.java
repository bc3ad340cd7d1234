package io.ipcscope.demo;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the demo command in this JVM and captures what it prints. */
record Demo(int exitCode, String out, String err) {

  static Demo run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = DemoCommand.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Demo(code, out.toString(), err.toString());
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}

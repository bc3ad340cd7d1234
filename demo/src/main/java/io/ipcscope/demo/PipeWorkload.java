package io.ipcscope.demo;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Anonymous pipes. The demo streams records to a child JVM over its stdin and the child echoes each
 * one over its stdout (request/reply, so the records never merge); beside it runs the pipeline
 * {@code head -c K /dev/zero | cat > /dev/null} with K = messages * size (one record's worth in
 * continuous mode, where --messages does not apply).
 *
 * <p>Truth: pipe "parent->child stdin" and "child->parent stdout", N messages and N * size bytes
 * each; pipe "head->cat", K bytes, messages null (head's write() count is up to its libc); a
 * SIGCHLD from child, head and cat to the parent.
 */
final class PipeWorkload implements Workload {

  static final String TO_CHILD = "parent->child stdin";
  static final String FROM_CHILD = "child->parent stdout";
  static final String HEAD_TO_CAT = "head->cat";

  @Override
  public String name() {
    return "pipe";
  }

  @Override
  public String description() {
    return "anonymous pipes: records to a child JVM's stdin and echoed back on its stdout, plus head -c K /dev/zero | cat";
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    Process child = run.startChild("child", Run.Stdio.DATA, List.of(), Map.of());
    long k = run.settings().continuous() ? size : (long) run.settings().messages() * size;
    List<Process> pipeline =
        run.startPipeline(
            List.of(
                new ProcessBuilder("head", "-c", Long.toString(k), "/dev/zero")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT),
                new ProcessBuilder("cat")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)),
            List.of("head", "cat"));
    run.announce();

    // The JDK's pipe stream is buffered: write + flush puts each whole record in one write() call.
    OutputStream toChild = child.getOutputStream();
    InputStream fromChild = child.getInputStream();
    byte[] record = Records.newRecord(size);
    byte[] reply = new byte[size];
    Pacer pacer = run.pacer();
    while (pacer.next()) {
      Records.stamp(record, pacer.count());
      toChild.write(record);
      toChild.flush();
      if (!Records.readRecord(fromChild, reply, "reply " + pacer.count() + " from child")) {
        throw new IOException("child closed its stdout before reply " + pacer.count());
      }
      if (!Arrays.equals(record, reply)) {
        throw new IOException("reply " + pacer.count() + " from child differs from the request");
      }
    }
    long n = pacer.count();
    toChild.close();
    if (fromChild.read() != -1) {
      throw new IOException("child sent more than " + n + " replies");
    }
    run.await(child, pipeline.get(0), pipeline.get(1));

    run.channel("pipe", TO_CHILD, run.pid(), child.pid(), n, n * size, null);
    run.channel("pipe", FROM_CHILD, child.pid(), run.pid(), n, n * size, null);
    run.channel("pipe", HEAD_TO_CAT, pipeline.get(0).pid(), pipeline.get(1).pid(), null, k, null);
    run.childExitSignals(child, pipeline.get(0), pipeline.get(1));
  }

  /** The echo child: one unbuffered write() per record read from stdin, until EOF. */
  @Override
  public void child(String role, ChildContext child) throws Exception {
    if (!role.equals("child")) {
      Workload.super.child(role, child);
      return;
    }
    InputStream in = new FileInputStream(FileDescriptor.in);
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    byte[] record = new byte[child.size()];
    while (Records.readRecord(in, record, "request")) {
      out.write(record);
    }
  }
}

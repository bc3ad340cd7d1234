package io.ipcscope.demo;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A named pipe. The demo makes a FIFO in a private temp dir; a writer JVM opens it O_WRONLY and
 * writes N records, one write() each; a reader JVM opens it O_RDONLY and reads to EOF. Both report
 * their counts, which the demo cross-checks. The FIFO and its dir are removed at the end.
 *
 * <p>Truth: fifo "writer->reader" with path, N messages, N * size bytes; a SIGCHLD from writer and
 * reader to the parent.
 */
final class FifoWorkload implements Workload {

  static final String CHANNEL = "writer->reader";

  /** The FIFO's name in the run's temp dir. */
  static final String FIFO = "demo.fifo";

  @Override
  public String name() {
    return "fifo";
  }

  @Override
  public String description() {
    return "named pipe: a writer JVM streams records through a FIFO to a reader JVM";
  }

  @Override
  public void run(Run run) throws Exception {
    Path fifo = run.tempDir().resolve(FIFO);
    Libc.mkfifo(fifo, 0600);
    Process reader = run.startChild("reader", Run.Stdio.CONTROL, List.of(fifo.toString()), Map.of());
    Process writer = run.startChild("writer", Run.Stdio.CONTROL, List.of(fifo.toString()), Map.of());
    run.announce();
    run.await(writer, reader);

    long messages = run.resultCount("writer", "messages");
    long written = run.resultCount("writer", "bytes");
    long read = run.resultCount("reader", "bytes");
    if (written != read || written != messages * run.settings().size()) {
      throw new IOException(
          "fifo: writer wrote " + messages + " records, " + written + " bytes, reader read " + read + " bytes");
    }
    run.channel("fifo", CHANNEL, writer.pid(), reader.pid(), messages, written, fifo.toString());
    run.childExitSignals(writer, reader);
  }

  /** A killed demo leaves the FIFO in the run's temp dir: listed first, so that it is removed first. */
  @Override
  public List<Leftovers> leftovers() {
    return List.of(fifos(), Run.tempDirs(name()));
  }

  private Leftovers fifos() {
    return new Leftovers() {
      @Override
      public String kind() {
        return "fifo";
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        for (Run.TempDir t : Run.tempDirs(host.tmpDir(), name())) {
          Path fifo = t.dir().resolve(FIFO);
          if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
            found.add(new Leftovers.Found(kind(), fifo.toString(), t.demoPid(), Run.lastModified(t.dir()),
                () -> Files.deleteIfExists(fifo)));
          }
        }
        return found;
      }
    };
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    Path fifo = Path.of(child.arg(0));
    switch (role) {
      case "writer" -> write(fifo, child);
      case "reader" -> read(fifo, child);
      default -> Workload.super.child(role, child);
    }
  }

  private static void write(Path fifo, ChildContext child) throws Exception {
    byte[] record = Records.newRecord(child.size());
    Pacer pacer = child.pacer();
    // FileOutputStream is unbuffered: one write() per record; blocks in open() until the reader opens.
    try (OutputStream out = new FileOutputStream(fifo.toFile())) {
      while (pacer.next()) {
        Records.stamp(record, pacer.count());
        out.write(record);
      }
    }
    child.report("messages", pacer.count());
    child.report("bytes", pacer.count() * record.length);
  }

  private static void read(Path fifo, ChildContext child) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new FileInputStream(fifo.toFile())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
      }
    }
    child.report("bytes", total);
  }
}

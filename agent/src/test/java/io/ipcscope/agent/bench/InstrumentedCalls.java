package io.ipcscope.agent.bench;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The calls the agent instruments, each timed in a JVM without the agent and in one with it ({@link AgentJmh} runs
 * both): reads and writes that are not IPC (a regular file, /dev/null), which every application makes and the agent
 * must pass in a few nanoseconds, and writes and reads on a child's pipes, which it reports.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-opens=java.base/java.io=ALL-UNNAMED")
@State(Scope.Thread)
public class InstrumentedCalls {

  private static final int SIZE = 64;
  private static final int FILE_SIZE = 1 << 20;

  private final byte[] buffer = new byte[SIZE];
  private final byte[] back = new byte[SIZE];
  private Path file;
  private FileInputStream fileIn;
  private FileOutputStream devNull;
  private Process cat;
  private OutputStream toCat;
  private InputStream fromCat;
  private Process sink;
  private OutputStream toSink;
  /** The child's stdin itself, under the JDK's buffering. */
  private FileOutputStream toSinkRaw;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("ipcscope-jmh", ".bin");
    Files.write(file, new byte[FILE_SIZE]);
    fileIn = new FileInputStream(file.toFile());
    devNull = new FileOutputStream("/dev/null");
    buffer[SIZE - 1] = '\n';
    cat = new ProcessBuilder("cat").start();
    toCat = cat.getOutputStream();
    fromCat = cat.getInputStream();
    sink = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    toSink = sink.getOutputStream();
    try {
      java.lang.reflect.Field out = java.io.FilterOutputStream.class.getDeclaredField("out");
      out.setAccessible(true);
      toSinkRaw = (FileOutputStream) out.get(toSink);
    } catch (ReflectiveOperationException e) {
      throw new IOException(e);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    fileIn.close();
    devNull.close();
    toCat.close();
    toSink.close();
    cat.waitFor();
    sink.waitFor();
    Files.deleteIfExists(file);
  }

  /** FileInputStream.read(byte[]) of a regular file in the page cache: the call every file read pays. */
  @Benchmark
  public int fileRead64() throws IOException {
    int n = fileIn.read(buffer);
    if (n < SIZE) {
      fileIn.getChannel().position(0); // once per 16384 reads
    }
    return n;
  }

  /** FileInputStream.read(): one byte, the other read the agent instruments. */
  @Benchmark
  public int fileReadByte() throws IOException {
    int b = fileIn.read();
    if (b < 0) {
      fileIn.getChannel().position(0);
    }
    return b;
  }

  /**
   * FileInputStream.read(buffer, 0, 0) of a regular file: the JDK returns without a system call, so what is left is
   * the instrumented call itself, and with the agent its cost for a call that is not IPC, without a syscall's noise.
   */
  @Benchmark
  public int fileReadEmpty() throws IOException {
    return fileIn.read(buffer, 0, 0);
  }

  /**
   * FileOutputStream.write(buffer, 0, 0) on a child's stdin pipe: no system call either, but the agent reports it (0
   * bytes), so with the agent this is all a reported operation costs the application's thread.
   */
  @Benchmark
  public void pipeWriteEmpty() throws IOException {
    toSinkRaw.write(buffer, 0, 0);
  }

  /** FileOutputStream.write(byte[]) to /dev/null: a write that is not IPC. */
  @Benchmark
  public void devNullWrite64() throws IOException {
    devNull.write(buffer);
  }

  /** 64 bytes into a child's stdin that it discards: one reported operation per call. */
  @Benchmark
  public void pipeWrite64() throws IOException {
    toSink.write(buffer);
    toSink.flush();
  }

  /** 64 bytes to a {@code cat} and back: a write and a read reported per call, and two context switches. */
  @Benchmark
  public byte[] pipeEcho64() throws IOException {
    toCat.write(buffer);
    toCat.flush();
    for (int got = 0; got < SIZE; ) {
      int n = fromCat.read(back, got, SIZE - got);
      if (n < 0) {
        throw new IOException("cat exited");
      }
      got += n;
    }
    return back;
  }
}

package io.ipcscope.agent.target;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Target app: inside its own SDK's span "start" it starts {@code cat} and writes a line; cat exits, and the JDK's
 * process reaper drains cat's stdout into memory (the app waits until the pipe's descriptor is gone from
 * /proc/self/fd, so the drain did happen), then, outside any span, the app reads the line from memory.
 */
public final class ReaperDrain {

  public static void main(String[] args) throws Exception {
    Span start = SdkTracerProvider.builder().build().get("target").spanBuilder("start").startSpan();
    Process cat;
    String stdout;
    try (Scope scope = start.makeCurrent()) {
      cat = new ProcessBuilder("cat").start();
      stdout = Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/1")).toString();
      try (OutputStream in = cat.getOutputStream()) {
        in.write("drained\n".getBytes(StandardCharsets.US_ASCII));
      }
    } finally {
      start.end();
    }
    cat.waitFor();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (holds(stdout) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    System.out.println("drained " + !holds(stdout));
    System.out.println("read " + new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    System.out.println("start " + start.getSpanContext().getTraceId() + " " + start.getSpanContext().getSpanId());
    System.out.println("tid " + Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName());
    System.out.println("stdout " + stdout);
  }

  /** Whether this process still has a descriptor on the pipe. */
  private static boolean holds(String pipe) throws Exception {
    try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().equals(pipe);
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}

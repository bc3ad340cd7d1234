package io.ipcscope.agent.target;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Target app with its own OpenTelemetry SDK: inside a sampled span "handle" it starts {@code cat} and writes N lines
 * of 6 bytes; inside an unsampled span "quiet" it writes 2 more; outside any span it writes one more, closes the
 * child's stdin and reads everything back. Prints the spans' ids, its pid and main thread's tid, the child's pid and
 * its pipes' kernel names. (Reads of the JDK's process reaper, draining the pipe once cat exits, may come between.)
 */
public final class SdkSpanChild {

  public static void main(String[] args) throws Exception {
    int lines = Integer.parseInt(args[0]);
    Tracer sampled = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build().get("target");
    Tracer unsampled = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build().get("target");
    System.out.println("pid " + ProcessHandle.current().pid());
    System.out.println("tid " + Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName());

    Process cat;
    OutputStream in;
    Span handle = sampled.spanBuilder("handle").startSpan();
    try (Scope scope = handle.makeCurrent()) {
      cat = new ProcessBuilder("cat").start();
      System.out.println("stdin " + Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/0")));
      System.out.println("stdout " + Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/1")));
      in = cat.getOutputStream();
      for (int i = 0; i < lines; i++) {
        write(in, "hello\n");
      }
    } finally {
      handle.end();
    }
    Span quiet = unsampled.spanBuilder("quiet").startSpan();
    try (Scope scope = quiet.makeCurrent()) {
      write(in, "quiet\n");
      write(in, "quiet\n");
    } finally {
      quiet.end();
    }
    write(in, "plain\n");
    in.close();
    byte[] back;
    try (InputStream out = cat.getInputStream()) {
      back = out.readAllBytes();
    }
    System.out.println("handle " + handle.getSpanContext().getTraceId() + " " + handle.getSpanContext().getSpanId());
    System.out.println("quiet " + quiet.getSpanContext().getTraceId() + " " + quiet.getSpanContext().getSpanId());
    System.out.println("child " + cat.pid());
    System.out.println("read " + back.length);
    System.out.println("exit " + cat.waitFor());
  }

  private static void write(OutputStream in, String line) throws Exception {
    in.write(line.getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }
}

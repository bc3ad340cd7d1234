package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.File;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Reads and writes of {@code FileInputStream} and {@code FileOutputStream}: what a child process's stdin, stdout and
 * stderr streams (and a FIFO opened as a file) come down to, one instrumented call per read(2) or write(2). Every
 * file's reads pass here, so the sink's test for "is this descriptor a known channel" must be, and is, a few
 * nanoseconds. The constructors taking a File report the path, so that a FIFO becomes a known channel.
 */
public final class StreamInstrumentation implements IpcInstrumentation {

  private static final String FILE_INPUT_STREAM = "java.io.FileInputStream";
  private static final String FILE_OUTPUT_STREAM = "java.io.FileOutputStream";

  @Override
  public Feature feature() {
    return Feature.PROCESS;
  }

  /** Child processes' pipes and FIFOs opened as files both come down to these streams. */
  @Override
  public boolean enabledBy(AgentConfig config) {
    return config.has(Feature.PROCESS) || config.has(Feature.FILE);
  }

  @Override
  public List<String> typeNames() {
    return List.of(FILE_INPUT_STREAM, FILE_OUTPUT_STREAM);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder
        .type(types.named(FILE_INPUT_STREAM)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(StreamStart.class, ReadByteAdvice.class).on(named("read").and(takesArguments(0))))
            .visit(Advices.of(StreamStart.class, ReadAdvice.class).on(named("read").and(takesArguments(1).or(takesArguments(3)))))
            .visit(Advices.of(OpenAdvice.class).on(isConstructor().and(takesArgument(0, File.class)))))
        .type(types.named(FILE_OUTPUT_STREAM)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(StreamStart.class, WriteByteAdvice.class).on(named("write").and(takesArguments(int.class))))
            .visit(Advices.of(StreamStart.class, WriteArrayAdvice.class).on(named("write").and(takesArguments(byte[].class))))
            .visit(Advices.of(StreamStart.class, WriteRangeAdvice.class)
                .on(named("write").and(takesArguments(byte[].class, int.class, int.class))))
            // FileOutputStream(File) calls FileOutputStream(File, boolean): only the latter, or each open is seen twice
            .visit(Advices.of(OpenForWriteAdvice.class)
                .on(isConstructor().and(takesArguments(File.class, boolean.class)))));
  }

  static final class ReadByteAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Return int value, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, false, value < 0 ? -1 : 1, start);
      }
    }
  }

  static final class ReadAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Return int count, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, false, count, start);
      }
    }
  }

  static final class WriteByteAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, true, 1, start);
      }
    }
  }

  static final class WriteArrayAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Argument(0) byte[] bytes, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, true, bytes.length, start);
      }
    }
  }

  static final class WriteRangeAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Argument(2) int length, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, true, length, start);
      }
    }
  }

  static final class OpenAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.FieldValue("path") String path) {
      IpcBridge.sink.fileOpened(fd, path, false);
    }
  }

  static final class OpenForWriteAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.FieldValue("path") String path) {
      IpcBridge.sink.fileOpened(fd, path, true);
    }
  }
}

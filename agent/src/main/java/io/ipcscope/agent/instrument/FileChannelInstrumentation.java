package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.FileChannelImpl}, the {@code FileChannel} of every file ({@code FileChannel.open},
 * {@code Files.newByteChannel}, {@code Files.newInputStream}/{@code newOutputStream}, a stream's or
 * {@code RandomAccessFile}'s {@code getChannel}): its mappings ({@code map}, both overloads on JDK 22+), its locks
 * ({@code lock}, {@code tryLock}, and {@code release}, where {@code FileLock.release} and {@code close} end), and the
 * reads and writes of a FIFO it opened. A channel the JDK opens for a path itself (its factory called without a
 * parent stream) is checked once for being a FIFO, as a {@code FileInputStream} opened on a path is; reads and writes
 * then ask the sink's descriptor table, which answers "not a channel" for a regular file in a few nanoseconds.
 */
public final class FileChannelInstrumentation implements IpcInstrumentation {

  private static final String FILE_CHANNEL_IMPL = "sun.nio.ch.FileChannelImpl";

  @Override
  public Feature feature() {
    return Feature.FILE;
  }

  /** A child's pipe read through its stream's {@code getChannel()} is reported too. */
  @Override
  public boolean enabledBy(AgentConfig config) {
    return config.has(Feature.FILE) || config.has(Feature.PROCESS);
  }

  @Override
  public List<String> typeNames() {
    return List.of(FILE_CHANNEL_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder.type(types.named(FILE_CHANNEL_IMPL)).transform((b, type, loader, module, domain) -> b
        // JDK 17: open(fd, path, readable, writable, direct, parent); JDK 21+: (..., sync, direct, parent)
        .visit(Advices.of(OpenAdvice.class).on(named("open").and(isStatic()).and(takesArguments(6))))
        .visit(Advices.of(OpenWithSyncAdvice.class).on(named("open").and(isStatic()).and(takesArguments(7))))
        .visit(Advices.of(StreamStart.class, ReadAdvice.class).on(named("read").and(takesArguments(ByteBuffer.class))))
        .visit(Advices.of(StreamStart.class, ReadVectorAdvice.class)
            .on(named("read").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
        .visit(Advices.of(StreamStart.class, WriteAdvice.class).on(named("write").and(takesArguments(ByteBuffer.class))))
        .visit(Advices.of(StreamStart.class, WriteVectorAdvice.class)
            .on(named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
        .visit(Advices.of(MapAdvice.class).on(named("map").and(isPublic())
            .and(takesArgument(0, FileChannel.MapMode.class)).and(takesArgument(1, long.class))
            .and(takesArgument(2, long.class))))
        .visit(Advices.of(LockAdvice.class).on(named("lock").and(takesArguments(long.class, long.class,
            boolean.class))))
        .visit(Advices.of(TryLockAdvice.class).on(named("tryLock").and(takesArguments(long.class, long.class,
            boolean.class))))
        .visit(Advices.of(ReleaseAdvice.class).on(named("release").and(takesArguments(1)))));
  }

  static final class OpenAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) String path,
        @Advice.Argument(3) boolean writable, @Advice.Argument(5) Object parent) {
      if (parent == null) { // a stream's or RandomAccessFile's channel: the stream's open was seen already
        IpcBridge.sink.fileOpened(fd, path, writable);
      }
    }
  }

  static final class OpenWithSyncAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) String path,
        @Advice.Argument(3) boolean writable, @Advice.Argument(6) Object parent) {
      if (parent == null) {
        IpcBridge.sink.fileOpened(fd, path, writable);
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

  static final class ReadVectorAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Return long count, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, false, count, start);
      }
    }
  }

  static final class WriteAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Return int count, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, true, count, start);
      }
    }
  }

  static final class WriteVectorAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.Return long count, @Advice.Thrown Throwable thrown) {
      if (start != 0 && thrown == null) {
        IpcBridge.sink.streamTransfer(fd, true, count, start);
      }
    }
  }

  static final class MapAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.FieldValue("path") String path, @Advice.Argument(0) FileChannel.MapMode mode,
        @Advice.Argument(1) long position, @Advice.Argument(2) long size, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.fileMapped(fd, path, String.valueOf(mode), position, size, start);
      }
    }
  }

  static final class LockAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    /** The lock returned says what the kernel gave: a shared request may come back exclusive. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.FieldValue("path") String path, @Advice.Return FileLock lock, @Advice.Thrown Throwable thrown) {
      if (thrown == null && lock != null) {
        IpcBridge.sink.fileLocked(fd, path, lock.position(), lock.size(), lock.isShared(), false, true, start);
      }
    }
  }

  static final class TryLockAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    /** Without a lock, what was asked for: the arguments as the method left them (a size of 0 made explicit). */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.FieldValue("path") String path, @Advice.Argument(0) long position, @Advice.Argument(1) long size,
        @Advice.Argument(2) boolean shared, @Advice.Return FileLock lock, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        if (lock != null) {
          IpcBridge.sink.fileLocked(fd, path, lock.position(), lock.size(), lock.isShared(), true, true, start);
        } else {
          IpcBridge.sink.fileLocked(fd, path, position, size, shared, true, false, start);
        }
      }
    }
  }

  /** {@code release(FileLockImpl)}: what {@code FileLock.release} and {@code close} call for a valid lock. */
  static final class ReleaseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.FieldValue("path") String path, @Advice.Argument(0) FileLock lock, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.fileUnlocked(fd, path, lock.position(), lock.size(), lock.isShared(), start);
      }
    }
  }
}

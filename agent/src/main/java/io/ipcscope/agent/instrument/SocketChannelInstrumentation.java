package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.Feature;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code SocketChannel} and {@code ServerSocketChannel}, Unix-domain and TCP ({@code sun.nio.ch.SocketChannelImpl} and
 * {@code ServerSocketChannelImpl}, the same on JDK 17 and 25). Each application call is one instrumented method, and
 * none of them calls another: {@code read} and {@code write} (single buffer, scatter and gather); {@code blockingRead}
 * and {@code blockingWriteFully}, what the streams of {@code SocketChannel.socket()} (and on 21+ of
 * {@code Channels.newInputStream}) call; {@code connect}, {@code blockingConnect} (the adaptor's), and a
 * {@code finishConnect} that completes a pending connection; {@code accept} and {@code blockingAccept}.
 */
public final class SocketChannelInstrumentation implements IpcInstrumentation {

  private static final String SOCKET_CHANNEL_IMPL = "sun.nio.ch.SocketChannelImpl";
  private static final String SERVER_SOCKET_CHANNEL_IMPL = "sun.nio.ch.ServerSocketChannelImpl";

  @Override
  public Feature feature() {
    return Feature.SOCKET;
  }

  @Override
  public List<String> typeNames() {
    return List.of(SOCKET_CHANNEL_IMPL, SERVER_SOCKET_CHANNEL_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder
        .type(types.named(SOCKET_CHANNEL_IMPL)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(ReadAdvice.class).on(named("read").and(takesArguments(ByteBuffer.class))
                .or(named("blockingRead").and(takesArguments(byte[].class, int.class, int.class, long.class)))))
            .visit(Advices.of(ScatterReadAdvice.class)
                .on(named("read").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
            .visit(Advices.of(WriteAdvice.class).on(named("write").and(takesArguments(ByteBuffer.class))))
            .visit(Advices.of(GatherWriteAdvice.class)
                .on(named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
            .visit(Advices.of(WriteFullyAdvice.class)
                .on(named("blockingWriteFully").and(takesArguments(byte[].class, int.class, int.class))))
            .visit(Advices.of(ConnectAdvice.class).on(named("connect").and(takesArguments(SocketAddress.class))))
            .visit(Advices.of(BlockingConnectAdvice.class)
                .on(named("blockingConnect").and(takesArguments(SocketAddress.class, long.class))))
            .visit(Advices.of(FinishConnectAdvice.class).on(named("finishConnect").and(takesArguments(0)))))
        .type(types.named(SERVER_SOCKET_CHANNEL_IMPL)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(AcceptAdvice.class).on(named("accept").and(takesArguments(0))
                .or(named("blockingAccept").and(takesArguments(long.class))))));
  }

  static final class ReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Return int count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_RECEIVE, count, start);
      }
    }
  }

  static final class ScatterReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Return long count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_RECEIVE, count, start);
      }
    }
  }

  static final class WriteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Return int count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_SEND, count, start);
      }
    }
  }

  static final class GatherWriteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Return long count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_SEND, count, start);
      }
    }
  }

  /** Writes all {@code length} bytes or throws. */
  static final class WriteFullyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Argument(2) int length,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_SEND, length, start);
      }
    }
  }

  /** True when connected now; false when a non-blocking connect is pending ({@code finishConnect} completes it). */
  static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Return boolean connected,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && connected) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_CONNECT, -1, start);
      }
    }
  }

  static final class BlockingConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_CONNECT, -1, start);
      }
    }
  }

  /** Returns true again once connected: only the call that completes a pending connection is one. */
  static final class FinishConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This SocketChannel channel, @Advice.Local("pending") boolean pending) {
      pending = channel.isConnectionPending();
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketChannel channel,
        @Advice.Local("pending") boolean pending, @Advice.Return boolean connected, @Advice.Thrown Throwable thrown) {
      if (thrown == null && pending && connected) {
        IpcBridge.sink.socketChannelOp(channel, IpcSink.SOCKET_CONNECT, -1, start);
      }
    }
  }

  /** The accepted channel, null when a non-blocking accept found none. */
  static final class AcceptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Return SocketChannel accepted,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && accepted != null) {
        IpcBridge.sink.socketChannelOp(accepted, IpcSink.SOCKET_ACCEPT, -1, start);
      }
    }
  }
}

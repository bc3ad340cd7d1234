package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.Feature;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.net.Socket} and {@code ServerSocket}: both are {@code sun.nio.ch.NioSocketImpl} inside (JDK 13+), and
 * their streams' every read and write is one call of its private {@code read(byte[], int, int)} and
 * {@code write(byte[], int, int)} (which writes everything, in as many write(2)s as it takes). The other
 * {@code connect}s delegate to {@code connect(SocketAddress, int)}; {@code accept(SocketImpl)} is the server's, and
 * its argument the accepted socket.
 */
public final class SocketImplInstrumentation implements IpcInstrumentation {

  private static final String NIO_SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";

  @Override
  public Feature feature() {
    return Feature.SOCKET;
  }

  @Override
  public List<String> typeNames() {
    return List.of(NIO_SOCKET_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder.type(types.named(NIO_SOCKET_IMPL)).transform((b, type, loader, module, domain) -> b
        .visit(Advices.of(ReadAdvice.class)
            .on(named("read").and(takesArguments(byte[].class, int.class, int.class))))
        .visit(Advices.of(WriteAdvice.class)
            .on(named("write").and(takesArguments(byte[].class, int.class, int.class))))
        .visit(Advices.of(ConnectAdvice.class)
            .on(named("connect").and(takesArguments(SocketAddress.class, int.class))))
        .visit(Advices.of(AcceptAdvice.class).on(named("accept").and(takesArguments(SocketImpl.class)))));
  }

  static final class ReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketImpl socket, @Advice.Return int count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketImplOp(socket, IpcSink.SOCKET_RECEIVE, count, start);
      }
    }
  }

  static final class WriteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketImpl socket, @Advice.Argument(2) int length,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketImplOp(socket, IpcSink.SOCKET_SEND, length, start);
      }
    }
  }

  static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This SocketImpl socket, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketImplOp(socket, IpcSink.SOCKET_CONNECT, -1, start);
      }
    }
  }

  static final class AcceptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(0) SocketImpl accepted,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.socketImplOp(accepted, IpcSink.SOCKET_ACCEPT, -1, start);
      }
    }
  }
}

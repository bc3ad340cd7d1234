package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.Feature;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code DatagramChannel}, and {@code DatagramSocket}, which on JDK 15+ is one inside ({@code DatagramSocketAdaptor}):
 * {@code sun.nio.ch.DatagramChannelImpl}. {@code send(ByteBuffer, SocketAddress)} is the channel's and the socket's
 * send ({@code blockingSend} calls it, on 17 and 25); the socket's receive is {@code blockingReceive}, which takes a
 * buffer on 17 and a packet on 25 and calls no other instrumented method, nor does {@code receive}; {@code read} and
 * {@code write} are a connected channel's; {@code connect(SocketAddress, boolean)} is where both connect.
 *
 * <p>A read or write that moved nothing (non-blocking, nothing there or no room) is not an operation, nor is a
 * receive that returned no sender or a send that sent nothing of a non-empty buffer.
 */
public final class DatagramChannelInstrumentation implements IpcInstrumentation {

  private static final String DATAGRAM_CHANNEL_IMPL = "sun.nio.ch.DatagramChannelImpl";

  @Override
  public Feature feature() {
    return Feature.SOCKET;
  }

  @Override
  public List<String> typeNames() {
    return List.of(DATAGRAM_CHANNEL_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder.type(types.named(DATAGRAM_CHANNEL_IMPL)).transform((b, type, loader, module, domain) -> b
        .visit(Advices.of(SendAdvice.class)
            .on(named("send").and(takesArguments(ByteBuffer.class, SocketAddress.class))))
        .visit(Advices.of(ReceiveAdvice.class).on(named("receive").and(takesArguments(ByteBuffer.class))
            .or(named("blockingReceive").and(takesArguments(ByteBuffer.class, long.class)))))
        .visit(Advices.of(PacketReceiveAdvice.class)
            .on(named("blockingReceive").and(takesArguments(DatagramPacket.class, long.class))))
        .visit(Advices.of(ReadAdvice.class).on(named("read").and(takesArguments(ByteBuffer.class))))
        .visit(Advices.of(ScatterReadAdvice.class)
            .on(named("read").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
        .visit(Advices.of(WriteAdvice.class).on(named("write").and(takesArguments(ByteBuffer.class))))
        .visit(Advices.of(GatherWriteAdvice.class)
            .on(named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class))))
        .visit(Advices.of(ConnectAdvice.class)
            .on(named("connect").and(takesArguments(SocketAddress.class, boolean.class)))));
  }

  static final class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.Argument(0) ByteBuffer source, @Advice.Argument(1) SocketAddress target, @Advice.Return int sent,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && (sent > 0 || !source.hasRemaining())) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_SEND, sent, target, start);
      }
    }
  }

  /** Bytes received: how far the buffer's position moved. */
  static final class ReceiveAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.Argument(0) ByteBuffer target, @Advice.Local("position") int position) {
      position = target.position();
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.Argument(0) ByteBuffer target, @Advice.Local("position") int position,
        @Advice.Return SocketAddress sender, @Advice.Thrown Throwable thrown) {
      if (thrown == null && sender != null) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_RECEIVE, target.position() - position, sender, start);
      }
    }
  }

  /** JDK 25's, for DatagramSocket.receive: the packet says how much and from where. */
  static final class PacketReceiveAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.Argument(0) DatagramPacket packet, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_RECEIVE, packet.getLength(), packet.getSocketAddress(),
            start);
      }
    }
  }

  static final class ReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.FieldValue("remoteAddress") SocketAddress peer, @Advice.Return int count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && count > 0) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_RECEIVE, count, peer, start);
      }
    }
  }

  static final class ScatterReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.FieldValue("remoteAddress") SocketAddress peer, @Advice.Return long count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && count > 0) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_RECEIVE, count, peer, start);
      }
    }
  }

  static final class WriteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.FieldValue("remoteAddress") SocketAddress peer, @Advice.Return int count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && count > 0) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_SEND, count, peer, start);
      }
    }
  }

  static final class GatherWriteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.FieldValue("remoteAddress") SocketAddress peer, @Advice.Return long count,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null && count > 0) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_SEND, count, peer, start);
      }
    }
  }

  static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This DatagramChannel channel,
        @Advice.FieldValue("remoteAddress") SocketAddress peer, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.datagramOp(channel, IpcSink.SOCKET_CONNECT, -1, peer, start);
      }
    }
  }
}

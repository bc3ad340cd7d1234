package io.ipcscope.agent.instrument;

import java.util.List;

/** Every instrumentation the agent has; the {@code mechanisms} option picks among them. */
public final class Instrumentations {

  private Instrumentations() {}

  public static List<IpcInstrumentation> all() {
    return List.of(
        new ProcessStartInstrumentation(),
        new StreamInstrumentation(),
        new ProcessDestroyInstrumentation(),
        new FileChannelInstrumentation(),
        new SignalInstrumentation(),
        new JnaInstrumentation(),
        new SocketChannelInstrumentation(),
        new SocketImplInstrumentation(),
        new DatagramChannelInstrumentation());
  }
}

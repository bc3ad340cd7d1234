package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.Feature;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.misc.Signal} (module jdk.unsupported): {@code handle} and {@code raise}; and
 * {@code jdk.internal.misc.Signal.dispatch(int)}, which the JVM calls on its "Signal Dispatcher" thread for each
 * received signal that has a Java handler, the application's or the JVM's own (SIGTERM, SIGINT, SIGHUP start the
 * shutdown). Both modules read the bridge: {@code AgentInstaller} adds the edges.
 */
public final class SignalInstrumentation implements IpcInstrumentation {

  private static final String SIGNAL = "sun.misc.Signal";
  private static final String INTERNAL_SIGNAL = "jdk.internal.misc.Signal";

  @Override
  public Feature feature() {
    return Feature.SIGNAL;
  }

  @Override
  public List<String> typeNames() {
    return List.of(SIGNAL, INTERNAL_SIGNAL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder
        .type(types.named(SIGNAL)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(HandleAdvice.class).on(named("handle").and(takesArguments(2))))
            .visit(Advices.of(RaiseAdvice.class).on(named("raise").and(takesArguments(1)))))
        .type(types.named(INTERNAL_SIGNAL)).transform((b, type, loader, module, domain) -> b
            .visit(Advices.of(DispatchAdvice.class).on(named("dispatch").and(takesArguments(int.class)))));
  }

  static final class HandleAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(0) sun.misc.Signal signal,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.signalHandled(signal.getNumber(), start);
      }
    }
  }

  static final class RaiseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(0) sun.misc.Signal signal,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.signalRaised(signal.getNumber(), start);
      }
    }
  }

  static final class DispatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(0) int number) {
      IpcBridge.sink.signalDispatched(number, start);
    }
  }
}

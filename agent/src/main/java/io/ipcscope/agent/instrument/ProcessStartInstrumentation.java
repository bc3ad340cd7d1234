package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.Feature;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code ProcessBuilder.start()}: every child process, whether started by a builder, {@code Runtime.exec} or a
 * pipeline ({@code startPipeline} calls the private {@code start(Redirect[])}, which {@code start()} calls too, so
 * that is the one instrumented: each child is seen once).
 */
public final class ProcessStartInstrumentation implements IpcInstrumentation {

  @Override
  public Feature feature() {
    return Feature.PROCESS;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder) {
    return builder.type(named("java.lang.ProcessBuilder")).transform((b, type, loader, module, domain) ->
        b.visit(Advices.of(StartAdvice.class).on(named("start").and(takesArguments(1)))));
  }

  static final class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This ProcessBuilder builder, @Advice.Return Process child) {
      if (child != null) {
        IpcBridge.sink.processStarted(builder, child, start);
      }
    }
  }
}

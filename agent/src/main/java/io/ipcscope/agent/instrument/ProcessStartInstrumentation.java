package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.Feature;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code ProcessBuilder.start()}: every child process, whether started by a builder, {@code Runtime.exec} or a
 * pipeline ({@code startPipeline} calls the private {@code start(Redirect[])}, which {@code start()} calls too, so
 * that is the one instrumented: each child is seen once).
 */
public final class ProcessStartInstrumentation implements IpcInstrumentation {

  private static final String PROCESS_BUILDER = "java.lang.ProcessBuilder";
  private static final String PROCESS_IMPL = "java.lang.ProcessImpl";

  @Override
  public Feature feature() {
    return Feature.PROCESS;
  }

  @Override
  public List<String> typeNames() {
    return List.of(PROCESS_BUILDER, PROCESS_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder
        .type(types.named(PROCESS_BUILDER)).transform((b, type, loader, module, domain) ->
            b.visit(Advices.of(StartAdvice.class).on(named("start").and(takesArguments(1)))))
        .type(types.named(PROCESS_IMPL)).transform((b, type, loader, module, domain) ->
            b.visit(Advices.of(InitStreamsAdvice.class).on(named("initStreams"))));
  }

  static final class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This ProcessBuilder builder) {
      IpcBridge.sink.processStarting(builder);
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This ProcessBuilder builder, @Advice.Return Process child) {
      if (child != null) {
        IpcBridge.sink.processStarted(builder, child, start);
      }
    }
  }

  /** The child's pipes, claimed before the JDK wraps them and hands them to its reaper thread. */
  static final class InitStreamsAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("pid") int pid, @Advice.Argument(0) int[] fds) {
      IpcBridge.sink.pipesOpening(pid, fds);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Process child, @Advice.Argument(0) int[] fds) {
      IpcBridge.sink.pipesOpened(child, fds);
    }
  }
}

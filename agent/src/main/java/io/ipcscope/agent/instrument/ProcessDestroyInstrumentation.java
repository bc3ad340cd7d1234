package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.Feature;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * {@code Process.destroy} and {@code destroyForcibly}, and the {@code ProcessHandle} ones: all go through
 * {@code ProcessHandleImpl.destroyProcess(boolean)}, which sends SIGTERM or SIGKILL.
 */
public final class ProcessDestroyInstrumentation implements IpcInstrumentation {

  private static final String PROCESS_HANDLE_IMPL = "java.lang.ProcessHandleImpl";

  @Override
  public Feature feature() {
    return Feature.SIGNAL;
  }

  @Override
  public List<String> typeNames() {
    return List.of(PROCESS_HANDLE_IMPL);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder.type(types.named(PROCESS_HANDLE_IMPL)).transform((b, type, loader, module, domain) ->
        b.visit(Advices.of(DestroyAdvice.class).on(named("destroyProcess").and(takesArguments(boolean.class)))));
  }

  static final class DestroyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("pid") long pid, @Advice.Argument(0) boolean force,
        @Advice.Return boolean delivered, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        IpcBridge.sink.processDestroyed(pid, force, delivered, start);
      }
    }
  }
}

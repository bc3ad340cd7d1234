package io.ipcscope.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.config.Feature;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * JNA's {@code com.sun.jna.Function.invoke(Method, Class[], Class, Object[], Map)}, in whichever class loader the
 * application loaded JNA: every call through an interface-mapped {@code Library} and every direct
 * {@code Function.invoke}/{@code invokeInt}... passes there (direct mapping, {@code Native.register}, does not). The
 * sink picks libc's IPC functions out by name before the call, so any other native call costs a string switch.
 */
public final class JnaInstrumentation implements IpcInstrumentation {

  private static final String FUNCTION = "com.sun.jna.Function";

  @Override
  public Feature feature() {
    return Feature.JNA;
  }

  @Override
  public List<String> typeNames() {
    return List.of(FUNCTION);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types) {
    return builder.type(types.named(FUNCTION)).transform((b, type, loader, module, domain) ->
        b.visit(Advices.of(InvokeAdvice.class).on(named("invoke").and(takesArguments(5))
            .and(takesArgument(0, named("java.lang.reflect.Method"))))));
  }

  static final class InvokeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("functionName") String function) {
      return IpcBridge.sink.nativeCallStarting(function);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.FieldValue("functionName") String function,
        @Advice.Argument(3) Object[] args, @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
      if (start != 0) {
        IpcBridge.sink.nativeCalled(function, args, result, thrown, start);
      }
    }
  }
}

package io.ipcscope.agent.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The application's active OpenTelemetry span, so that IPC operations become its children. It is read through the
 * API the application itself uses, found by name: the official OpenTelemetry Java agent's copy in the bootstrap class
 * loader when that agent is attached (it also bridges an application's own API to it), otherwise the application's
 * {@code io.opentelemetry.api} on its class path. Neither is a dependency of ours.
 */
final class TraceContexts {

  /** The API's names, built at run time: the shade plugin would otherwise relocate them to our own copy's names. */
  private static final String API_SPAN = String.join(".", "io", "opentelemetry", "api", "trace", "Span");
  private static final String OTEL_AGENT_SPAN =
      String.join(".", "io", "opentelemetry", "javaagent", "shaded", API_SPAN);
  private static final long RETRY_NANOS = 10_000_000_000L;

  /** Handles on one copy of the API: {@code Span.current().getSpanContext()} and its getters. */
  private static final class Api {
    final MethodHandle current;
    final MethodHandle isValid;
    final MethodHandle traceId;
    final MethodHandle spanId;
    final MethodHandle sampled;

    Api(Class<?> span) throws ReflectiveOperationException {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> context = Class.forName(span.getPackageName() + ".SpanContext", false, span.getClassLoader());
      MethodHandle currentSpan = lookup.findStatic(span, "current", MethodType.methodType(span));
      MethodHandle getContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(context));
      current = MethodHandles.filterReturnValue(currentSpan, getContext).asType(MethodType.methodType(Object.class));
      isValid = lookup.findVirtual(context, "isValid", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, Object.class));
      traceId = lookup.findVirtual(context, "getTraceId", MethodType.methodType(String.class))
          .asType(MethodType.methodType(String.class, Object.class));
      spanId = lookup.findVirtual(context, "getSpanId", MethodType.methodType(String.class))
          .asType(MethodType.methodType(String.class, Object.class));
      sampled = lookup.findVirtual(context, "isSampled", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, Object.class));
    }

    IpcOp.Parent read() throws Throwable {
      Object context = (Object) current.invokeExact();
      if (!(boolean) isValid.invokeExact(context)) {
        return null;
      }
      return new IpcOp.Parent((String) traceId.invokeExact(context), (String) spanId.invokeExact(context),
          (boolean) sampled.invokeExact(context));
    }
  }

  private volatile Api api;
  private volatile long nextLookupNanos;

  /** The active span's context, or null when there is none or no OpenTelemetry API is around. */
  IpcOp.Parent current() {
    Api a = api;
    if (a == null) {
      a = lookUp();
      if (a == null) {
        return null;
      }
    }
    try {
      return a.read();
    } catch (Throwable t) {
      return null;
    }
  }

  private Api lookUp() {
    long now = System.nanoTime();
    if (now < nextLookupNanos) {
      return null;
    }
    nextLookupNanos = now + RETRY_NANOS; // an application may load its API later; look again now and then
    Api found = tryLoad(OTEL_AGENT_SPAN, null);
    if (found == null) {
      found = tryLoad(API_SPAN, ClassLoader.getSystemClassLoader());
    }
    if (found == null) {
      found = tryLoad(API_SPAN, Thread.currentThread().getContextClassLoader());
    }
    api = found;
    return found;
  }

  private static Api tryLoad(String name, ClassLoader loader) {
    try {
      return new Api(Class.forName(name, false, loader));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }
}

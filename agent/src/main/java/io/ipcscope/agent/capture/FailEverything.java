package io.ipcscope.agent.capture;

import io.ipcscope.agent.bootstrap.IpcSink;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For tests only, never for production: {@code -Dipcscope.agent.test.failEverything=true} makes every sink callback
 * (after doing its work) and the export thread throw, so that a test can prove the application never notices the
 * agent failing. A proxy rather than a flag in each callback: a callback added to {@link IpcSink} later fails too.
 */
public final class FailEverything {

  public static final String PROPERTY = "ipcscope.agent.test.failEverything";

  /** What is thrown: an Error, not an exception, so that only a catch of Throwable stops it. */
  public static final class Failure extends Error {
    private static final long serialVersionUID = 1L;

    public Failure(String where) {
      super(PROPERTY + ": " + where + " fails on purpose");
    }
  }

  private static final AtomicLong THROWN = new AtomicLong();

  private FailEverything() {}

  /** How many sink callbacks threw: said at exit, so a test knows they ran. */
  public static long thrown() {
    return THROWN.get();
  }

  public static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** {@code real}, each of whose callbacks throws {@link Failure} after it returned. */
  public static IpcSink sink(IpcSink real) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(real, args);
      }
      try {
        method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      THROWN.incrementAndGet();
      throw new Failure("IpcSink." + method.getName());
    };
    return (IpcSink) Proxy.newProxyInstance(FailEverything.class.getClassLoader(), new Class<?>[] {IpcSink.class},
        handler);
  }
}

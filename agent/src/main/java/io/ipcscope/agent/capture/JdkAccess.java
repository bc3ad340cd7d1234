package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The JDK internals the agent reads: a descriptor's number, and the stream a buffered stream wraps. java.io is opened
 * to the agent by {@code IpcscopeAgent} before this class loads; without that it fails to load and the agent turns
 * itself off with one line.
 */
public final class JdkAccess {

  private static final VarHandle FD_NUMBER;
  private static final VarHandle FILTER_IN;
  private static final VarHandle FILTER_OUT;

  static {
    try {
      FD_NUMBER = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
          .findVarHandle(FileDescriptor.class, "fd", int.class);
      FILTER_IN = MethodHandles.privateLookupIn(FilterInputStream.class, MethodHandles.lookup())
          .findVarHandle(FilterInputStream.class, "in", InputStream.class);
      FILTER_OUT = MethodHandles.privateLookupIn(FilterOutputStream.class, MethodHandles.lookup())
          .findVarHandle(FilterOutputStream.class, "out", OutputStream.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private JdkAccess() {}

  /** The descriptor's number, -1 once closed. */
  public static int number(FileDescriptor fd) {
    return (int) FD_NUMBER.getVolatile(fd);
  }

  static InputStream unwrap(InputStream in) {
    return in instanceof FilterInputStream ? (InputStream) FILTER_IN.get((FilterInputStream) in) : in;
  }

  static OutputStream unwrap(OutputStream out) {
    return out instanceof FilterOutputStream ? (OutputStream) FILTER_OUT.get((FilterOutputStream) out) : out;
  }
}

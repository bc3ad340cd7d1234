package io.ipcscope.demo;

import com.sun.jna.LastErrorException;
import java.util.function.Supplier;

/** A native call that may fail with errno, and the two ways the libc bindings make one: once, or until not EINTR. */
@FunctionalInterface
interface NativeCall {

  int EINTR = 4;

  long invoke() throws LastErrorException;

  /** Makes the call once; errno becomes an {@link ErrnoException} saying {@code what} failed. */
  static long once(NativeCall call, Supplier<String> what) {
    try {
      return call.invoke();
    } catch (LastErrorException e) {
      throw new ErrnoException(what.get(), e.getErrorCode());
    }
  }

  /**
   * For calls a signal interrupts without SA_RESTART applying (msgsnd and msgrcv never restart; flock and F_SETLKW
   * do restart, but not under every handler): retries EINTR, which did nothing and moved no data, so only the call
   * that succeeds happened.
   */
  static long restarting(NativeCall call, Supplier<String> what) {
    while (true) {
      try {
        return call.invoke();
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new ErrnoException(what.get(), e.getErrorCode());
        }
      }
    }
  }
}

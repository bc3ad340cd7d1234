package io.ipcscope.agent.instrument;

import io.ipcscope.agent.bootstrap.IpcBridge;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;

/**
 * The enter advice of every read and write on a descriptor ({@code FileInputStream}, {@code FileOutputStream},
 * {@code FileChannelImpl}, each with an {@code fd} field). Every file's reads pass here, and almost none is IPC: the
 * sink's table answers that in a lookup, and only a known channel pays for reading the clock. 0 tells the exit
 * advice that there is nothing to report.
 */
final class StreamStart {

  private StreamStart() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter(@Advice.FieldValue("fd") FileDescriptor fd) {
    return IpcBridge.sink.streamStarting(fd);
  }
}

package io.ipcscope.cli.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The message queue calls of libc for the ping-pong over queues. glibc 2.34+ has the mq_* functions in libc itself.
 * Every call throws {@link LastErrorException} (errno) on failure.
 */
final class QueueLibc {

  static final int IPC_PRIVATE = 0;
  static final int IPC_CREAT = 01000;
  static final int IPC_RMID = 0;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;

  interface C extends Library {
    int msgget(int key, int flags) throws LastErrorException;

    int msgsnd(int id, byte[] msgp, long size, int flags) throws LastErrorException;

    long msgrcv(int id, byte[] msgp, long size, long type, int flags) throws LastErrorException;

    int msgctl(int id, int cmd, Pointer buf) throws LastErrorException;

    // variadic in C (mode, attr); on x86_64 passing them as fixed arguments is the same call
    int mq_open(String name, int oflag, int mode, Pointer attr) throws LastErrorException;

    int mq_send(int mqd, byte[] msg, long len, int prio) throws LastErrorException;

    long mq_receive(int mqd, byte[] msg, long len, Pointer prio) throws LastErrorException;

    int mq_close(int mqd) throws LastErrorException;

    int mq_unlink(String name) throws LastErrorException;
  }

  static final C C = Native.load("c", C.class);

  private QueueLibc() {}

  private static final int EINTR = 4;

  /** Runs a blocking call again when a signal meant for the JVM interrupted it (EINTR). */
  static void retryInterrupted(Runnable call) {
    while (true) {
      try {
        call.run();
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw e;
        }
      }
    }
  }

  /** A struct mq_attr with room for {@code maxMessages} of {@code messageSize} bytes. */
  static Memory mqAttr(long maxMessages, long messageSize) {
    Memory attr = new Memory(32);
    attr.clear();
    attr.setLong(8, maxMessages);
    attr.setLong(16, messageSize);
    return attr;
  }
}

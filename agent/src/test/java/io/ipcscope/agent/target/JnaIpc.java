package io.ipcscope.agent.target;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Target app: libc's IPC calls through a JNA interface mapping, as applications make them: a POSIX queue (3 sends of
 * 11 bytes and 3 receives, one timed send and receive), a shm_open object, a named semaphore (post, wait, a trywait
 * that fails), a System V queue (one message of 7 bytes), segment and semaphore set; and {@code kill(self, 0)}
 * through a direct {@code Function.invokeInt}. (JNA itself runs {@code ldconfig -p} to find libc.) Prints the names and ids for the test to compare.
 */
public final class JnaIpc {

  /** x86_64 and arm64 Linux values. */
  private static final int O_RDWR = 2;
  private static final int O_CREAT = 0100;
  private static final int IPC_CREAT = 01000;
  private static final int IPC_PRIVATE = 0;
  private static final int IPC_RMID = 0;
  private static final int CLOCK_REALTIME = 0;

  public interface LibC extends Library {
    int mq_open(String name, int oflag, int mode, Pointer attr);
    int mq_send(int mqd, byte[] msg, long length, int priority);
    int mq_timedsend(int mqd, byte[] msg, long length, int priority, Pointer timeout);
    long mq_receive(int mqd, byte[] buffer, long length, Pointer priority);
    long mq_timedreceive(int mqd, byte[] buffer, long length, Pointer priority, Pointer timeout);
    int mq_close(int mqd);
    int mq_unlink(String name);
    int shm_open(String name, int oflag, int mode);
    int shm_unlink(String name);
    Pointer sem_open(String name, int oflag, int mode, int value);
    int sem_post(Pointer sem);
    int sem_wait(Pointer sem);
    int sem_trywait(Pointer sem);
    int sem_timedwait(Pointer sem, Pointer timeout);
    int sem_close(Pointer sem);
    int sem_unlink(String name);
    int msgget(int key, int flags);
    int msgsnd(int id, Pointer message, long size, int flags);
    long msgrcv(int id, Pointer message, long size, long type, int flags);
    int msgctl(int id, int command, Pointer buffer);
    int shmget(int key, long size, int flags);
    Pointer shmat(int id, Pointer address, int flags);
    int shmdt(Pointer address);
    int shmctl(int id, int command, Pointer buffer);
    int semget(int key, int count, int flags);
    int semop(int id, Pointer operations, long count);
    int semctl(int id, int number, int command);
    int clock_gettime(int clock, Pointer time);
    int getpid();
    int close(int fd);
  }

  public static void main(String[] args) throws Exception {
    LibC c = Native.load("c", LibC.class);
    int pid = c.getpid();
    String tag = "ipcscope-it-" + pid;

    String queue = "/" + tag + "-mq";
    int mqd = c.mq_open(queue, O_CREAT | O_RDWR, 0600, null);
    check(mqd >= 0, "mq_open");
    System.out.println("mq.inode " + Files.getAttribute(Paths.get("/proc/self/fd/" + mqd), "unix:ino"));
    byte[] message = "hello queue".getBytes(StandardCharsets.US_ASCII);
    byte[] buffer = new byte[8192];
    for (int i = 0; i < 3; i++) {
      check(c.mq_send(mqd, message, message.length, 5) == 0, "mq_send");
    }
    for (int i = 0; i < 3; i++) {
      check(c.mq_receive(mqd, buffer, buffer.length, null) == message.length, "mq_receive");
    }
    Memory timeout = inFiveSeconds(c);
    check(c.mq_timedsend(mqd, message, 5, 1, timeout) == 0, "mq_timedsend");
    check(c.mq_timedreceive(mqd, buffer, buffer.length, null, timeout) == 5, "mq_timedreceive");
    c.mq_close(mqd);
    check(c.mq_unlink(queue) == 0, "mq_unlink");

    String shm = "/" + tag + "-shm";
    int shmFd = c.shm_open(shm, O_CREAT | O_RDWR, 0600);
    check(shmFd >= 0, "shm_open");
    c.close(shmFd);
    check(c.shm_unlink(shm) == 0, "shm_unlink");

    String semName = "/" + tag + "-sem";
    Pointer sem = c.sem_open(semName, O_CREAT, 0600, 0);
    check(sem != null, "sem_open");
    check(c.sem_post(sem) == 0, "sem_post");
    check(c.sem_wait(sem) == 0, "sem_wait");
    check(c.sem_trywait(sem) == -1, "sem_trywait");
    check(c.sem_post(sem) == 0, "sem_post");
    check(c.sem_timedwait(sem, timeout) == 0, "sem_timedwait");
    c.sem_close(sem);
    check(c.sem_unlink(semName) == 0, "sem_unlink");
    System.out.println("sem.address " + Pointer.nativeValue(sem));

    int msqid = c.msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    check(msqid >= 0, "msgget");
    Memory msg = new Memory(8 + 64);
    msg.setLong(0, 3);
    msg.write(8, "seven!!".getBytes(StandardCharsets.US_ASCII), 0, 7);
    check(c.msgsnd(msqid, msg, 7, 0) == 0, "msgsnd");
    check(c.msgrcv(msqid, msg, 64, 0, 0) == 7, "msgrcv");
    c.msgctl(msqid, IPC_RMID, null);

    int shmid = c.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    check(shmid >= 0, "shmget");
    Pointer attached = c.shmat(shmid, null, 0);
    c.shmdt(attached);
    c.shmctl(shmid, IPC_RMID, null);

    int semid = c.semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    check(semid >= 0, "semget");
    Memory post = new Memory(6); // struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }
    post.setShort(0, (short) 0);
    post.setShort(2, (short) 1);
    post.setShort(4, (short) 0);
    check(c.semop(semid, post, 1) == 0, "semop");
    c.semctl(semid, 0, IPC_RMID);

    int killed = Function.getFunction("c", "kill").invokeInt(new Object[] {pid, 0});

    System.out.println("pid " + pid);
    System.out.println("mq " + queue);
    System.out.println("mqd " + mqd);
    System.out.println("shm " + shm);
    System.out.println("shm.fd " + shmFd);
    System.out.println("sem " + semName);
    System.out.println("msqid " + msqid);
    System.out.println("shmid " + shmid);
    System.out.println("shmat " + Pointer.nativeValue(attached));
    System.out.println("semid " + semid);
    System.out.println("kill " + killed);
  }

  private static Memory inFiveSeconds(LibC c) {
    Memory time = new Memory(16); // struct timespec { time_t tv_sec; long tv_nsec; }
    c.clock_gettime(CLOCK_REALTIME, time);
    time.setLong(0, time.getLong(0) + 5);
    return time;
  }

  private static void check(boolean ok, String call) {
    if (!ok) {
      throw new IllegalStateException(call + " failed: errno " + Native.getLastError());
    }
  }
}

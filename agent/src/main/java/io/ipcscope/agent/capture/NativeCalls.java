package io.ipcscope.agent.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libc's IPC functions called through JNA ({@code com.sun.jna.Function}, which both interface-mapped libraries and
 * direct {@code Function.invoke} go through), reported under the function's name with the mechanism the probes use
 * for it. Channels are named as the kernel shows them: a POSIX queue {@code /dev/mqueue/NAME}, shared memory
 * {@code /dev/shm/NAME}, a named semaphore {@code /dev/shm/sem.NAME}, System V objects by id as the collector names
 * them ({@code sysv_mq:[ID]}, {@code sysv_shm:[ID]}, {@code sem:[ID]}) with their key ({@code 0x0000abcd}, as ipcs
 * shows it). A queue descriptor or semaphore pointer opened through JNA is remembered, so that later calls name it.
 *
 * <p>Arguments are read as the application passed them: numbers as any {@link Number} (JNA's {@code NativeLong} is
 * one), names as any {@link CharSequence}; anything else is not guessed at.
 */
final class NativeCalls {

  private static final int MQ_OPEN = 1;
  private static final int MQ_SEND = 2;
  private static final int MQ_TIMEDSEND = 3;
  private static final int MQ_RECEIVE = 4;
  private static final int MQ_TIMEDRECEIVE = 5;
  private static final int MQ_UNLINK = 6;
  private static final int SHM_OPEN = 7;
  private static final int SHM_UNLINK = 8;
  private static final int SEM_OPEN = 9;
  private static final int SEM_POST = 10;
  private static final int SEM_WAIT = 11;
  private static final int SEM_TIMEDWAIT = 12;
  private static final int SEM_TRYWAIT = 13;
  private static final int SEM_UNLINK = 14;
  private static final int KILL = 15;
  private static final int MSGGET = 16;
  private static final int MSGSND = 17;
  private static final int MSGRCV = 18;
  private static final int SHMGET = 19;
  private static final int SHMAT = 20;
  private static final int SEMGET = 21;
  private static final int SEMOP = 22;

  /** Beyond this many queues or semaphores opened and never seen again, the oldest names are forgotten at once. */
  private static final int MAX_REMEMBERED = 4096;

  private final boolean enabled;
  private final OpQueue queue;
  private final TraceContexts contexts;
  /** POSIX queue descriptors opened through JNA, by descriptor number; a reused number is overwritten by its open. */
  private final Map<Long, String> queues = new ConcurrentHashMap<>();
  /** Named semaphores by the pointer sem_open returned (JNA's Pointer is equal to another of the same address). */
  private final Map<Object, String> semaphores = new ConcurrentHashMap<>();

  NativeCalls(boolean enabled, OpQueue queue, TraceContexts contexts) {
    this.enabled = enabled;
    this.queue = queue;
    this.contexts = contexts;
  }

  /** Asked on every JNA call: a switch on the name, whose hash the String keeps. */
  long starting(String function) {
    return enabled && kind(function) != 0 ? System.nanoTime() : 0;
  }

  static int kind(String function) {
    if (function == null) {
      return 0;
    }
    switch (function) {
      case "mq_open": return MQ_OPEN;
      case "mq_send": return MQ_SEND;
      case "mq_timedsend": return MQ_TIMEDSEND;
      case "mq_receive": return MQ_RECEIVE;
      case "mq_timedreceive": return MQ_TIMEDRECEIVE;
      case "mq_unlink": return MQ_UNLINK;
      case "shm_open": return SHM_OPEN;
      case "shm_unlink": return SHM_UNLINK;
      case "sem_open": return SEM_OPEN;
      case "sem_post": return SEM_POST;
      case "sem_wait": return SEM_WAIT;
      case "sem_timedwait": return SEM_TIMEDWAIT;
      case "sem_trywait": return SEM_TRYWAIT;
      case "sem_unlink": return SEM_UNLINK;
      case "kill": return KILL;
      case "msgget": return MSGGET;
      case "msgsnd": return MSGSND;
      case "msgrcv": return MSGRCV;
      case "shmget": return SHMGET;
      case "shmat": return SHMAT;
      case "semget": return SEMGET;
      case "semop": return SEMOP;
      default: return 0;
    }
  }

  void called(String function, Object[] args, Object result, Throwable thrown, long startNanos) {
    long end = System.nanoTime();
    String returned = thrown != null ? "-1" : result(result);
    long value = thrown != null ? -1 : number(result);
    boolean ok = thrown == null && value != -1;
    switch (kind(function)) {
      case MQ_OPEN: {
        String channel = "/dev/mqueue/" + posixName(arg(args, 0));
        if (ok) {
          remember(queues, value, channel);
        }
        offer("posix_mq", function, channel, -1, 0, startNanos, end, thrown, "ipc.result", returned, "ipc.inode",
            ok ? FileOps.inodeOf((int) value) : "");
        return;
      }
      case MQ_SEND:
      case MQ_TIMEDSEND:
        offer("posix_mq", function, queue(number(arg(args, 0))), ok ? number(arg(args, 2)) : -1, 0, startNanos, end,
            thrown, "ipc.result", returned, "ipc.mq.priority", Long.toString(number(arg(args, 3))));
        return;
      case MQ_RECEIVE:
      case MQ_TIMEDRECEIVE:
        offer("posix_mq", function, queue(number(arg(args, 0))), ok ? value : -1, 0, startNanos, end, thrown,
            "ipc.result", returned);
        return;
      case MQ_UNLINK:
        offer("posix_mq", function, "/dev/mqueue/" + posixName(arg(args, 0)), -1, 0, startNanos, end, thrown,
            "ipc.result", returned);
        return;
      case SHM_OPEN:
      case SHM_UNLINK:
        offer("posix_shm", function, "/dev/shm/" + posixName(arg(args, 0)), -1, 0, startNanos, end, thrown,
            "ipc.result", returned);
        return;
      case SEM_OPEN: {
        String channel = "/dev/shm/sem." + posixName(arg(args, 0));
        if (thrown == null && result != null) {
          remember(semaphores, result, channel);
        }
        offer("sem", function, channel, -1, 0, startNanos, end, thrown, "ipc.result", returned);
        return;
      }
      case SEM_UNLINK:
        offer("sem", function, "/dev/shm/sem." + posixName(arg(args, 0)), -1, 0, startNanos, end, thrown,
            "ipc.result", returned);
        return;
      case SEM_POST:
      case SEM_WAIT:
      case SEM_TIMEDWAIT:
      case SEM_TRYWAIT: {
        Object sem = arg(args, 0);
        String channel = sem == null ? null : semaphores.get(sem);
        offer("sem", function, channel != null ? channel : "", -1, 0, startNanos, end, thrown, "ipc.result",
            returned, "ipc.sem.address", address(sem));
        return;
      }
      case KILL: {
        long pid = number(arg(args, 0));
        offer("signal", function, "", -1, pid > 0 ? pid : 0, startNanos, end, thrown, "ipc.result", returned,
            "ipc.signal", SignalNames.name((int) number(arg(args, 1))), "ipc.api", "jna", "ipc.pid",
            Long.toString(pid));
        return;
      }
      case MSGGET:
        offer("sysv_mq", function, ok ? "sysv_mq:[" + value + "]" : "", -1, 0, startNanos, end, thrown,
            "ipc.result", returned, "ipc.sysv.key", key(arg(args, 0)));
        return;
      case MSGSND:
        offer("sysv_mq", function, "sysv_mq:[" + number(arg(args, 0)) + "]", ok ? number(arg(args, 2)) : -1, 0,
            startNanos, end, thrown, "ipc.result", returned);
        return;
      case MSGRCV:
        offer("sysv_mq", function, "sysv_mq:[" + number(arg(args, 0)) + "]", ok ? value : -1, 0, startNanos, end,
            thrown, "ipc.result", returned, "ipc.msg.type_wanted", Long.toString(number(arg(args, 3))));
        return;
      case SHMGET:
        offer("sysv_shm", function, ok ? "sysv_shm:[" + value + "]" : "", number(arg(args, 1)), 0, startNanos, end,
            thrown, "ipc.result", returned, "ipc.sysv.key", key(arg(args, 0)));
        return;
      case SHMAT:
        offer("sysv_shm", function, "sysv_shm:[" + number(arg(args, 0)) + "]", -1, 0, startNanos, end, thrown,
            "ipc.result", returned);
        return;
      case SEMGET:
        offer("sem", function, ok ? "sem:[" + value + "]" : "", -1, 0, startNanos, end, thrown, "ipc.result",
            returned, "ipc.sysv.key", key(arg(args, 0)), "ipc.sem.nsems", Long.toString(number(arg(args, 1))));
        return;
      case SEMOP:
        offer("sem", function, "sem:[" + number(arg(args, 0)) + "]", -1, 0, startNanos, end, thrown, "ipc.result",
            returned, "ipc.sem.nsops", Long.toString(number(arg(args, 2))));
        return;
      default:
    }
  }

  private void offer(String mechanism, String operation, String channel, long bytes, long peer, long start, long end,
      Throwable thrown, String... attributes) {
    String[] all = attributes;
    if (thrown != null) { // Library.OPTION_THROW_LAST_ERROR: LastErrorException, "[errno] strerror"
      all = java.util.Arrays.copyOf(attributes, attributes.length + 2);
      all[attributes.length] = "ipc.error";
      all[attributes.length + 1] = String.valueOf(thrown.getMessage());
    }
    queue.offer(new IpcOp(mechanism, operation, channel, bytes, peer, NativeThreads.current(), start, end,
        contexts.current(), all));
  }

  /** The queue a descriptor opened, as mq_open saw it named or, for one opened elsewhere, as /proc names it. */
  private String queue(long mqd) {
    String known = queues.get(mqd);
    if (known != null) {
      return known;
    }
    String name = ProcFd.name((int) mqd); // "/NAME": the root of the kernel's own mqueue mount
    if (name == null) {
      return "";
    }
    String channel = "/dev/mqueue/" + posixName(name);
    remember(queues, mqd, channel);
    return channel;
  }

  private static <K> void remember(Map<K, String> names, K key, String name) {
    if (names.size() >= MAX_REMEMBERED) {
      names.clear();
    }
    names.put(key, name);
  }

  private static Object arg(Object[] args, int i) {
    return args != null && i < args.length ? args[i] : null;
  }

  /** -1 for what is not a number: a failed call returns -1 too, and nothing is reported as moved. */
  static long number(Object value) {
    return value instanceof Number ? ((Number) value).longValue() : -1;
  }

  /** glibc ignores the leading slashes of a POSIX IPC name: {@code /orders} is {@code orders} in its directory. */
  static String posixName(Object name) {
    if (!(name instanceof CharSequence)) {
      return "";
    }
    String s = name.toString();
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  /** A System V key as ipcs prints it. */
  static String key(Object key) {
    return String.format("0x%08x", (int) number(key));
  }

  static String result(Object result) {
    if (result == null) {
      return "0x0"; // NULL, or a void function
    }
    return result instanceof Number ? Long.toString(((Number) result).longValue()) : address(result);
  }

  /** A JNA Pointer's address: its toString is {@code native@0x7f00...}. */
  static String address(Object pointer) {
    if (pointer == null) {
      return "0x0";
    }
    String s = pointer.toString();
    int at = s.indexOf('@');
    return at >= 0 ? s.substring(at + 1) : s;
  }
}

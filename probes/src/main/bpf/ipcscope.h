/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The contract between ipcscope's BPF programs and its Java decoder.
 *
 * Every struct here has fixed-width fields in naturally aligned order with
 * explicit padding, so its layout is the same for clang -target bpf and for
 * the Java side. The Java decoder's offsets are checked against the BTF of
 * the compiled objects (EventLayoutBtfTest): a change here that shifts a
 * field fails the build until the Java side follows.
 */
#ifndef IPCSCOPE_H
#define IPCSCOPE_H

#define TASK_COMM_LEN 16
#define PATH_MAX_LEN 256

/* Mechanisms. Values are part of the wire format: append, never renumber. */
enum ipc_mechanism {
	MECH_PROCESS = 1,
	MECH_PIPE = 2,
	MECH_FIFO = 3,
	MECH_SIGNAL = 4,
	MECH_POSIX_MQ = 5,
	MECH_SYSV_MQ = 6,
	MECH_POSIX_SHM = 7,
	MECH_SYSV_SHM = 8,
	MECH_SEM = 9,
	MECH_UNIX_SOCKET = 10,
	MECH_TCP = 11,
	MECH_UDP = 12,
	MECH_FILE_LOCK = 13,
	MECH_BENCH = 63, /* synthetic events of `ipcscope bench drain` */
};

/* Operations. Values are part of the wire format: append, never renumber. */
enum ipc_op {
	OP_READ = 1,
	OP_WRITE = 2,
	OP_CREATE = 3, /* pipe/pipe2: channel_id = inode, fd = read end, aux = write end; mknod: path */
	OP_OPEN = 4,   /* open of a FIFO: fd, extra = open flags */
	OP_SEND = 5,   /* a signal sent by a syscall (kill, tgkill, sigqueue...); a message sent to a queue */
	OP_GENERATE = 6, /* a signal the kernel raised on its own (SIGCHLD, SIGPIPE, SIGSEGV...) */
	OP_DELIVER = 7,  /* a signal taken by its target */
	OP_FORK = 8,
	OP_EXEC = 9,
	OP_EXIT = 10,
	OP_RECEIVE = 11, /* a message taken from a queue */
	OP_REMOVE = 12,  /* msgctl(IPC_RMID), mq_unlink */
	OP_NOTIFY = 13,  /* mq_notify */
	OP_ACQUIRE = 14, /* a file lock taken */
	OP_RELEASE = 15, /* a file lock given up (unlock, close, exit) */
	OP_WAIT = 16,    /* a file lock request found the lock held; a semaphore decrease (or wait for zero) */
	OP_BIND = 17,    /* a socket given a name */
	OP_LISTEN = 18,
	OP_CONNECT = 19,
	OP_ACCEPT = 20,  /* fd = the new connection's socket */
	OP_ATTACH = 21,  /* shared memory mapped: mmap(MAP_SHARED), shmat */
	OP_DETACH = 22,  /* munmap, shmdt */
	OP_POST = 23,    /* a semaphore increased (semop > 0, sem_post) */
	OP_FD_SEND = 24,    /* a descriptor passed over a Unix socket (SCM_RIGHTS) */
	OP_FD_RECEIVE = 25, /* a descriptor received that way */
	OP_LINK = 26,    /* a /dev/shm object given a new name (sem_open links its temporary file into place) */
};

/* What became of a generated signal (signal_generate's result, plus blocked). */
enum signal_status {
	SIGSTAT_DELIVERED = 0,
	SIGSTAT_IGNORED = 1,
	SIGSTAT_ALREADY_PENDING = 2,
	SIGSTAT_OVERFLOW_FAIL = 3,
	SIGSTAT_LOSE_INFO = 4,
	SIGSTAT_BLOCKED = 5, /* queued, but the target blocks it for now */
	SIGSTAT_NONE = 255,  /* no generation happened (failed syscall, signal 0) */
};

/* How the target disposes of a delivered signal (k_sigaction). */
enum signal_disposition {
	SIGDISP_DEFAULT = 0,
	SIGDISP_IGNORE = 1,
	SIGDISP_HANDLER = 2,
};

/*
 * One IPC operation. 104 bytes. Field meaning by op is documented in
 * docs/EVENTS.md; fields an op does not use are zero.
 */
struct ipc_event {
	__u64 ts_ns;       /* bpf_ktime_get_ns(): CLOCK_MONOTONIC, as Java's System.nanoTime() */
	__u64 start_ns;    /* start_boottime of pid's thread-group leader: (pid, start_ns) survives pid reuse */
	__u64 channel_id;  /* inode of the pipe or FIFO */
	__u64 bytes;       /* bytes that really moved (the syscall's return value when positive) */
	__u64 extra;       /* op-specific: si_value of a queued signal, start_ns of a forked child, open flags */
	__u32 pid;         /* thread-group id of the acting task (0: the kernel itself) */
	__u32 tid;
	__u32 peer_pid;    /* the other end when the kernel knows it: signal target or sender, forked child */
	__u32 peer_tid;
	__u32 channel_dev; /* st_dev of the inode's filesystem, kernel encoding (major << 20 | minor) */
	__s32 result;      /* >= 0, or -errno */
	__s32 fd;          /* the fd operated on; -1 when none */
	__s32 aux;         /* signal number; write-end fd of a new pipe; exit code */
	__s32 code;        /* si_code of a signal */
	__u16 mechanism;   /* enum ipc_mechanism */
	__u8 op;           /* enum ipc_op */
	__u8 status;       /* enum signal_status, or enum signal_disposition for OP_DELIVER */
	char comm[TASK_COMM_LEN];
	__u32 syscall_nr;  /* the syscall that did it (x86_64 numbering); 0 for kernel events */
	__u32 __pad;
};

/* An event that names a path: FIFO create and open, exec. */
struct ipc_event_path {
	struct ipc_event event;
	char path[PATH_MAX_LEN];
};

/* Knobs set by the loader before load (const volatile rodata: the verifier prunes what they disable). */
struct ipcscope_config {
	__u32 tracer_tgid;    /* never trace the tracer itself */
	__u32 filter_tgid;    /* 0: every process */
	__u64 mechanism_mask; /* bit (1 << mechanism) set: traced */
	__u32 aggregate;      /* 1: count in agg_stats, emit no per-operation records */
	__u32 wakeup_bytes;   /* wake the consumer only when this much data waits (0: every record) */
	char filter_comm[TASK_COMM_LEN]; /* "": every command */
	__u32 shm_dev;        /* st_dev of the /dev/shm mount, kernel encoding (0: none): shm_open's objects */
	__u32 __pad;
};

/* Aggregate mode: one row per (process, channel, operation). */
struct agg_key {
	__u64 start_ns;
	__u64 channel_id;
	__u32 pid;
	__u32 channel_dev;
	__u32 peer_pid;  /* signals: the target; 0 for pipes and FIFOs (resolved in user space) */
	__u16 mechanism;
	__u8 op;
	__u8 __pad;
	__s32 aux;       /* signal number; 0 otherwise */
	__u32 __pad2;
};

struct agg_value {
	__u64 count;
	__u64 bytes;
	__u64 errors;
	__u64 last_ts_ns;
};

#endif /* IPCSCOPE_H */

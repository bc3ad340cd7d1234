/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by every ipcscope BPF object: the config knob, the three maps
 * (created by the loader with the first object and reused by the others,
 * so their names and definitions must be identical everywhere), the filter,
 * and the event helpers.
 *
 * Contract for the loader:
 *  - .rodata holds exactly one variable, `cfg` (struct ipcscope_config) at
 *    offset 0; nothing else may land there (no bpf_printk or string literals).
 *  - `events` is a ring buffer; records are struct ipc_event (104 bytes) or
 *    struct ipc_event_path (360 bytes): tell them apart by the record length.
 *  - `drops[0]` (per CPU) counts records lost: failed reservations and
 *    agg_stats rows that could not be created because the map was full.
 */
#ifndef IPCSCOPE_COMMON_BPF_H
#define IPCSCOPE_COMMON_BPF_H

/* vmlinux.h's enum nfs_opnum4 also has OP_READ, OP_WRITE, OP_CREATE, OP_OPEN, OP_REMOVE, OP_LINK: rename those. */
#define OP_READ NFS4_OP_READ
#define OP_WRITE NFS4_OP_WRITE
#define OP_CREATE NFS4_OP_CREATE
#define OP_OPEN NFS4_OP_OPEN
#define OP_REMOVE NFS4_OP_REMOVE
#define OP_LINK NFS4_OP_LINK
#include "vmlinux.h"
#undef OP_READ
#undef OP_WRITE
#undef OP_CREATE
#undef OP_OPEN
#undef OP_REMOVE
#undef OP_LINK
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "ipcscope.h"

#ifndef S_IFMT
#define S_IFMT 00170000
#define S_IFIFO 0010000
#define S_IFREG 0100000
#endif
#define PIPEFS_MAGIC 0x50495045
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2

#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000
#define AT_FDCWD -100

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define TS_COMPAT 0x0002 /* thread_info.status: a 32-bit syscall is running */

/* Syscall numbers and argument registers are x86_64's; other arches need their own table. */
#if !defined(__TARGET_ARCH_x86)
#error "ipcscope probes decode x86_64 syscalls: build with -D__TARGET_ARCH_x86"
#endif
#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_mmap 9
#define NR_munmap 11
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_pipe 22
#define NR_shmget 29
#define NR_shmat 30
#define NR_shmctl 31
#define NR_sendfile 40
#define NR_socket 41
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_bind 49
#define NR_listen 50
#define NR_socketpair 53
#define NR_kill 62
#define NR_semget 64
#define NR_semop 65
#define NR_semctl 66
#define NR_shmdt 67
#define NR_msgget 68
#define NR_msgsnd 69
#define NR_msgrcv 70
#define NR_msgctl 71
#define NR_creat 85
#define NR_link 86
#define NR_unlink 87
#define NR_rt_sigqueueinfo 129
#define NR_mknod 133
#define NR_semtimedop 220
#define NR_tkill 200
#define NR_tgkill 234
#define NR_mq_open 240
#define NR_mq_unlink 241
#define NR_mq_timedsend 242
#define NR_mq_timedreceive 243
#define NR_mq_notify 244
#define NR_openat 257
#define NR_mknodat 259
#define NR_unlinkat 263
#define NR_linkat 265
#define NR_splice 275
#define NR_tee 276
#define NR_vmsplice 278
#define NR_pipe2 293
#define NR_preadv 295
#define NR_pwritev 296
#define NR_accept4 288
#define NR_recvmmsg 299
#define NR_sendmmsg 307
#define NR_rt_tgsigqueueinfo 297
#define NR_preadv2 327
#define NR_pwritev2 328
#define NR_memfd_create 319
#define NR_pidfd_send_signal 424
#define NR_openat2 437

#define EVENTS_DEFAULT_BYTES (8 * 1024 * 1024)
#define AGG_MAX_ENTRIES 16384

/* Set by the loader before load; the verifier prunes what it disables. */
const volatile struct ipcscope_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EVENTS_DEFAULT_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, AGG_MAX_ENTRIES);
	__type(key, struct agg_key);
	__type(value, struct agg_value);
} agg_stats SEC(".maps");

/*
 * BTF anchor: keeps every contract type in the object's BTF (the Java side
 * checks its offsets against it) without adding a data section. Never
 * called, so libbpf never loads it.
 */
__attribute__((used)) void ipcscope_btf_anchor(struct ipc_event *e, struct ipc_event_path *p,
						 struct ipcscope_config *c, struct agg_key *k,
						 struct agg_value *v)
{
}

/* Counts one lost record on this CPU. */
static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);

	if (n)
		*n += 1;
}

/* Mechanism enabled by the loader. */
static __always_inline bool mech_enabled(__u32 mech)
{
	return cfg.mechanism_mask & (1ULL << mech);
}

/* The tracer never traces itself. */
static __always_inline bool is_tracer(__u32 tgid)
{
	return cfg.tracer_tgid && tgid == cfg.tracer_tgid;
}

/* Passes the pid filter (0: all). */
static __always_inline bool tgid_passes(__u32 tgid)
{
	return !cfg.filter_tgid || tgid == cfg.filter_tgid;
}

/* Passes the command filter (empty: all); comm is a TASK_COMM_LEN buffer. */
static __always_inline bool comm_matches(const char *comm)
{
	if (!cfg.filter_comm[0])
		return true;
	for (int i = 0; i < TASK_COMM_LEN; i++) {
		if (comm[i] != cfg.filter_comm[i])
			return false;
		if (!comm[i])
			return true;
	}
	return true;
}

/* Passes the command filter for the current task (cheap when the filter is off). */
static __always_inline bool current_comm_passes(void)
{
	char comm[TASK_COMM_LEN];

	if (!cfg.filter_comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	return comm_matches(comm);
}

/* Start time of a thread group's leader: with the tgid, survives pid reuse. */
static __always_inline __u64 task_start_ns(struct task_struct *task)
{
	return task->group_leader->start_boottime;
}

/* Start time of the current thread group's leader. */
static __always_inline __u64 current_start_ns(void)
{
	/* direct BTF loads from the trusted current task: cheaper than probe reads */
	return task_start_ns(bpf_get_current_task_btf());
}

/* Zeroes a reserved record and fills the header common to every op from task (current), with direct loads. */
static __always_inline void fill_header_of(struct ipc_event *e, struct task_struct *task, __u16 mech, __u8 op,
					   __u32 nr)
{
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->start_ns = task_start_ns(task);
	e->pid = task->tgid;
	e->tid = task->pid;
	e->fd = -1;
	e->mechanism = mech;
	e->op = op;
	e->syscall_nr = nr;
	__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
}

/* fill_header_of() the current task; hot paths that hold the task already save a helper call with that one. */
static __always_inline void fill_header(struct ipc_event *e, __u16 mech, __u8 op, __u32 nr)
{
	fill_header_of(e, bpf_get_current_task_btf(), mech, op, nr);
}

/* Reserves a record of `size` bytes, counting a drop when the ring is full. */
static __always_inline void *reserve(__u64 size)
{
	void *e = bpf_ringbuf_reserve(&events, size, 0);

	if (!e)
		count_drop();
	return e;
}

/* Per CPU: how this CPU paces its look at the ring's fill level. */
struct wakeup_pacing {
	__u64 records; /* submitted by this CPU */
	__u64 above;   /* its last look found cfg.wakeup_bytes or more waiting */
};

/* Not shared between objects: each object paces its own records. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wakeup_pacing);
} wakeup_pacing SEC(".maps");

/* Look at the fill level once per this many records per CPU (a power of two). */
#define WAKEUP_CHECK_EVERY 16

/*
 * Submits a record. Wakes the consumer only when the waiting data crosses
 * cfg.wakeup_bytes (0: every record); the consumer drains on a timer as well,
 * so records below it are not stranded. Each CPU looks at the fill level
 * (bpf_ringbuf_query) once every WAKEUP_CHECK_EVERY of its records, since a
 * helper call costs ~80 ns in this VM, a sixth of a pipe syscall, and wakes
 * the consumer when its look finds the threshold crossed since its previous
 * look: once per crossing, not for every record while the consumer is behind
 * (that cost a wake-up per event exactly when it could least afford it).
 */
static __always_inline void submit(void *e)
{
	struct wakeup_pacing *p;
	__u64 flags = 0, above;
	__u32 zero = 0;

	if (cfg.wakeup_bytes) {
		flags = BPF_RB_NO_WAKEUP;
		p = bpf_map_lookup_elem(&wakeup_pacing, &zero);
		if (p && (++p->records & (WAKEUP_CHECK_EVERY - 1)) == 0) {
			/* includes this record: it was reserved */
			above = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg.wakeup_bytes;
			if (above && !p->above)
				flags = BPF_RB_FORCE_WAKEUP;
			p->above = above;
		}
	}
	bpf_ringbuf_submit(e, flags);
}

/*
 * Aggregate mode: adds to a row of agg_stats, creating it with first_ns (0:
 * now) as its time when it is new. False when the row cannot be created: the map is
 * full (counted as a drop by the caller that gives up) or its bucket is
 * locked by the code this program interrupted.
 */
static __always_inline bool agg_add_counts(struct agg_key *key, __u64 count, __u64 bytes, __u64 errors,
					   __u64 first_ns)
{
	struct agg_value *v;

	v = bpf_map_lookup_elem(&agg_stats, key);
	if (unlikely(!v)) {
		struct agg_value fresh = { .last_ts_ns = first_ns ? first_ns : bpf_ktime_get_ns() };

		/* -EEXIST from a racing CPU is fine */
		bpf_map_update_elem(&agg_stats, key, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&agg_stats, key);
		if (!v)
			return false;
	}
	if (count)
		__sync_fetch_and_add(&v->count, count);
	if (bytes)
		__sync_fetch_and_add(&v->bytes, bytes);
	if (errors)
		__sync_fetch_and_add(&v->errors, errors);
	return true;
}

/*
 * Aggregate mode: counts one operation in agg_stats. No clock read per
 * operation (bpf_ktime_get_ns costs about 55 ns in this VM, a sixth of a pipe
 * syscall): last_ts_ns is when the row was created.
 */
static __always_inline void agg_add(struct agg_key *key, __u64 bytes, long result)
{
	if (!agg_add_counts(key, 1, bytes, result < 0, 0))
		count_drop();
}

/* A 32-bit (ia32) syscall of task (current): its numbers are not the x86_64 ones above. */
static __always_inline bool task_in_compat_syscall(struct task_struct *task)
{
	return task->thread_info.status & TS_COMPAT;
}

/* A 32-bit (ia32) syscall: its numbers are not the x86_64 ones above. */
static __always_inline bool in_compat_syscall(void)
{
	return task_in_compat_syscall(bpf_get_current_task_btf());
}

/* A kernel pointer read as a number, made walkable by direct (fault-safe) loads: kernel 6.2+. */
extern void *bpf_rdonly_cast(void *obj, __u32 btf_id) __ksym;

/*
 * The struct file behind fd in task (current), or NULL. Direct loads all the
 * way: the fd slot through an untrusted void cast (kernel 6.15+) where a
 * bpf_probe_read_kernel costs about 30 ns more.
 */
static __always_inline struct file *task_fd_to_file(struct task_struct *task, long fd)
{
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file *file;

	if (!files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || fd < 0 || fd >= fdt->max_fds)
		return NULL;
	file = *(struct file **)bpf_rdonly_cast(&fdt->fd[fd], 0);
	if (!file)
		return NULL;
	return bpf_rdonly_cast(file, bpf_core_type_id_kernel(struct file));
}

/* The struct file behind fd in the current task, or NULL. */
static __always_inline struct file *fd_to_file(long fd)
{
	return task_fd_to_file(bpf_get_current_task_btf(), fd);
}

/* What ipcscope needs of an open file's inode. */
struct file_info {
	__u64 ino;
	__u32 dev;
	__u32 magic;
	__u32 mode;   /* i_mode */
	__u32 f_mode; /* FMODE_READ/FMODE_WRITE... */
};

/*
 * Reads the inode identity of a file from fd_to_file(); false when there is
 * none or its type is not `ifmt` (0: any). Direct loads: about 1 ns each
 * where a probe read costs about 40 ns here.
 */
static __always_inline bool file_info_of(struct file *file, __u32 ifmt, struct file_info *fi)
{
	struct inode *inode;
	struct super_block *sb;

	if (!file)
		return false;
	inode = file->f_inode;
	if (!inode)
		return false;
	fi->mode = inode->i_mode;
	if (ifmt && (fi->mode & S_IFMT) != ifmt)
		return false;
	sb = inode->i_sb;
	fi->ino = inode->i_ino;
	fi->dev = sb->s_dev;
	fi->magic = sb->s_magic;
	fi->f_mode = file->f_mode;
	return true;
}

#endif /* IPCSCOPE_COMMON_BPF_H */

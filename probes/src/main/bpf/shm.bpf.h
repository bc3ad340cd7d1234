/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared memory and System V semaphores, seen at syscall exit by
 * syscalls.bpf.c. Shared memory costs set-up syscalls and then none: what
 * can be seen is who maps what, not the bytes that move through it.
 *
 *  - MECH_POSIX_SHM: mmap(MAP_SHARED) of a file (an shm_open object under
 *    /dev/shm or a memfd, or any regular file mapped writable) and its
 *    munmap; memfd_create; the unlink of a /dev/shm name (shm_open itself is
 *    an open of a file on the /dev/shm mount: pipe.bpf.h's emit_open).
 *    channel_id/channel_dev = the file's inode and device.
 *  - MECH_SYSV_SHM: shmget, shmat, shmdt, shmctl(IPC_RMID); channel_id =
 *    the shmid, channel_dev = the IPC namespace's inode (as System V queues).
 *  - MECH_SEM: semget, semop, semtimedop, semctl(IPC_RMID); channel_id = the
 *    semid, one record per sembuf (up to SEMOPS_MAX per call).
 *
 * munmap and shmdt name only an address: shared_maps remembers which object
 * each reported mapping holds, so only those are reported.
 */
#ifndef IPCSCOPE_SHM_BPF_H
#define IPCSCOPE_SHM_BPF_H

#include "common.bpf.h"
#include "sysv_mq.bpf.h"

#define MAP_SHARED 0x01
#define PROT_WRITE 0x2
#define TMPFS_MAGIC 0x01021994
#define IPC_RMID 0
#define SEMOPS_MAX 4

/* Syscalls shm_sys_exit() handles; syscalls.bpf.c dispatches on this list. */
#define SHM_SYSCALLS                                                                  \
	case NR_mmap: case NR_munmap: case NR_memfd_create: case NR_shmget:           \
	case NR_shmat: case NR_shmdt: case NR_shmctl: case NR_semget: case NR_semop:  \
	case NR_semtimedop: case NR_semctl: case NR_unlink: case NR_unlinkat:         \
	case NR_link: case NR_linkat

/* A mapping reported as an attach, by process and start address. */
struct shared_map_key {
	__u32 tgid;
	__u32 __pad;
	__u64 addr;
};

struct shared_map {
	__u64 channel_id;
	__u32 channel_dev;
	__u16 mechanism;
	__u16 __pad;
	__u64 length;
};

/* LRU: a process's exit unmaps everything without a munmap. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct shared_map_key);
	__type(value, struct shared_map);
} shared_maps SEC(".maps");

/* struct sembuf */
struct user_sembuf {
	__u16 sem_num;
	__s16 sem_op;
	__s16 sem_flg;
};

/* A record of mech/op on channel, with its header filled in; NULL when the ring is full. */
static __always_inline struct ipc_event *shm_record(struct task_struct *task, __u16 mech, __u8 op, __u32 nr,
						    __u64 channel_id, __u32 channel_dev, long ret)
{
	struct ipc_event *e = reserve(sizeof(*e));

	if (!e)
		return NULL;
	fill_header_of(e, task, mech, op, nr);
	e->channel_id = channel_id;
	e->channel_dev = channel_dev;
	e->result = ret;
	return e;
}

/* Remembers a reported mapping for its munmap/shmdt. */
static __always_inline void remember_map(__u32 tgid, __u64 addr, __u16 mech, __u64 channel_id, __u32 channel_dev,
					 __u64 length)
{
	struct shared_map_key key = { .tgid = tgid, .addr = addr };
	struct shared_map m = {
		.channel_id = channel_id, .channel_dev = channel_dev, .mechanism = mech, .length = length,
	};

	bpf_map_update_elem(&shared_maps, &key, &m, BPF_NOEXIST);
}

#define PATH_DEPTH_MAX 16
#define PATH_TRUNCATED 0x80
#define PATH_NAME_MAX 64 /* longer names are cut: the path is marked truncated */

/*
 * The file's path within its filesystem, leaf first: "name/parent/.../top",
 * walking d_parent to the filesystem's root (user space reverses it and puts
 * the mount point in front). Returns the number of names, | PATH_TRUNCATED
 * when the walk stopped short of the root.
 */
static __always_inline __u8 path_leaf_first(struct dentry *dentry, char *path)
{
	__u32 off = 0;
	__u8 depth = 0;

	for (int i = 0; i < PATH_DEPTH_MAX; i++) {
		struct dentry *parent;
		long n;

		if (!dentry)
			return depth;
		/* a fixed-size read at a bounded offset: what the verifier can prove in bounds */
		if (off > PATH_MAX_LEN - PATH_NAME_MAX)
			return depth | PATH_TRUNCATED;
		n = bpf_probe_read_kernel_str(path + off, PATH_NAME_MAX, dentry->d_name.name);
		if (n <= 0 || n == PATH_NAME_MAX)
			return depth | PATH_TRUNCATED; /* unreadable, or a name too long for us */
		depth++;
		parent = dentry->d_parent;
		if (!parent || parent == dentry)
			return depth; /* the filesystem's root */
		off += n;
		path[(off - 1) & (PATH_MAX_LEN - 1)] = '/';
		dentry = parent;
	}
	return depth | PATH_TRUNCATED;
}

/*
 * mmap(MAP_SHARED) of a regular file: ATTACH, with the file's path within its
 * filesystem (path_leaf_first; status = its depth).
 */
static __noinline void emit_mmap_shared(struct task_struct *task, __u32 nr, struct pt_regs *regs, long ret)
{
	long fd = (int)regs->r8;
	struct ipc_event_path *e;
	struct file_info fi;
	struct file *file;

	file = task_fd_to_file(task, fd);
	if (!file_info_of(file, S_IFREG, &fi))
		return;
	/*
	 * A file mapped shared but read-only is how glibc reads its caches
	 * (gconv-modules.cache): only shared memory proper (tmpfs: /dev/shm,
	 * memfd) is an IPC object whatever the protection.
	 */
	if (!(regs->dx & PROT_WRITE) && fi.magic != TMPFS_MAGIC)
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_POSIX_SHM, OP_ATTACH, nr);
	e->event.channel_id = fi.ino;
	e->event.channel_dev = fi.dev;
	e->event.bytes = regs->si;  /* length */
	e->event.extra = ret;       /* the address */
	e->event.aux = regs->dx;    /* prot */
	e->event.code = regs->r10;  /* flags */
	e->event.fd = fd;
	e->event.result = 0;
	e->event.peer_tid = regs->r9 >> 12; /* the offset, in pages */
	__builtin_memset(e->path, 0, sizeof(e->path));
	e->event.status = path_leaf_first(file->f_path.dentry, e->path);
	submit(e);
	remember_map(task->tgid, ret, MECH_POSIX_SHM, fi.ino, fi.dev, regs->si);
}

/* munmap/shmdt of a mapping reported as an attach: DETACH of the same object. */
static __noinline void emit_unmap(struct task_struct *task, __u32 nr, __u64 addr, long ret)
{
	struct shared_map_key key = { .tgid = task->tgid, .addr = addr };
	struct shared_map *m = bpf_map_lookup_elem(&shared_maps, &key);
	struct ipc_event *e;

	if (!m)
		return;
	e = shm_record(task, m->mechanism, OP_DETACH, nr, m->channel_id, m->channel_dev, ret);
	if (e) {
		e->extra = addr;
		e->bytes = m->length;
		submit(e);
	}
	bpf_map_delete_elem(&shared_maps, &key);
}

/* memfd_create: CREATE with the name given and the new file's inode. */
static __noinline void emit_memfd(struct task_struct *task, __u32 nr, __u64 name, __u32 flags, long ret)
{
	struct ipc_event_path *e;
	struct file_info fi = {};

	if (ret >= 0)
		file_info_of(task_fd_to_file(task, ret), 0, &fi);
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_POSIX_SHM, OP_CREATE, nr);
	e->event.channel_id = fi.ino;
	e->event.channel_dev = fi.dev;
	e->event.fd = ret;
	e->event.aux = flags;
	e->event.result = ret;
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)name);
	submit(e);
}

/* "/dev/shm" as a little-endian word: no string literal may land in .rodata (common.bpf.h). */
#define DEV_SHM_WORD 0x6d68732f7665642fULL

/* unlink of "/dev/shm/NAME" (shm_unlink, sem_unlink): REMOVE with the path; the object has no inode any more. */
static __noinline void emit_shm_unlink(struct task_struct *task, __u32 nr, __u64 path)
{
	struct ipc_event_path *e;
	struct {
		__u64 word;
		char slash;
	} head;

	if (bpf_probe_read_user(&head, 9, (void *)path) || head.word != DEV_SHM_WORD || head.slash != '/')
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_POSIX_SHM, OP_REMOVE, nr);
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (void *)path);
	submit(e);
}

#define LINK_HALF (PATH_MAX_LEN / 2)

/*
 * link of "/dev/shm/OLD" to "/dev/shm/NEW": LINK with the new name in the
 * first half of path and the old one in the second (each cut at 127 bytes).
 * sem_open creates a semaphore under a temporary name, maps it, and links it
 * into place: without this its creator's operations would carry the
 * temporary name.
 */
static __noinline void emit_shm_link(struct task_struct *task, __u32 nr, __u64 old_path, __u64 new_path)
{
	struct ipc_event_path *e;
	struct {
		__u64 word;
		char slash;
	} head;

	if (bpf_probe_read_user(&head, 9, (void *)new_path) || head.word != DEV_SHM_WORD || head.slash != '/')
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_POSIX_SHM, OP_LINK, nr);
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, LINK_HALF, (void *)new_path);
	bpf_probe_read_user_str(e->path + LINK_HALF, LINK_HALF, (void *)old_path);
	submit(e);
}

/* semop/semtimedop: one record per sembuf; op by the sign of sem_op (0: wait for zero). */
static __noinline void emit_semop(struct task_struct *task, __u32 nr, struct pt_regs *regs, long ret)
{
	__u32 ns = ipc_ns_inum(task);
	long semid = (int)regs->di;
	__u64 sops = regs->si;
	__u32 nsops = regs->dx;

	for (int i = 0; i < SEMOPS_MAX; i++) {
		struct user_sembuf sb;
		struct ipc_event *e;

		if (i >= nsops)
			break;
		if (bpf_probe_read_user(&sb, sizeof(sb), (void *)(sops + i * sizeof(sb))))
			break;
		e = shm_record(task, MECH_SEM, sb.sem_op > 0 ? OP_POST : OP_WAIT, nr, semid, ns, ret);
		if (!e)
			break;
		e->aux = sb.sem_num;
		e->code = sb.sem_op;
		e->extra = sb.sem_flg; /* IPC_NOWAIT 04000, SEM_UNDO 010000 */
		e->bytes = nsops;
		submit(e);
	}
}

/*
 * The exit of one of SHM_SYSCALLS by task (current, not the tracer, not in
 * a 32-bit syscall).
 */
static __always_inline void shm_sys_exit(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	struct ipc_event *e;

	if (!tgid_passes(task->tgid))
		return;
	switch (nr) {
	case NR_mmap:
		/* the hot case: most mappings are private or anonymous */
		if (!(regs->r10 & MAP_SHARED) || (int)regs->r8 < 0 || ret < 0)
			return;
		if (mech_enabled(MECH_POSIX_SHM) && current_comm_passes())
			emit_mmap_shared(task, nr, regs, ret);
		return;
	case NR_munmap:
	case NR_shmdt:
		if (ret == 0 && (mech_enabled(MECH_POSIX_SHM) || mech_enabled(MECH_SYSV_SHM)) && current_comm_passes())
			emit_unmap(task, nr, regs->di, ret);
		return;
	case NR_memfd_create:
		if (mech_enabled(MECH_POSIX_SHM) && current_comm_passes())
			emit_memfd(task, nr, regs->di, regs->si, ret);
		return;
	case NR_link:
		if (ret == 0 && cfg.shm_dev && mech_enabled(MECH_POSIX_SHM) && current_comm_passes())
			emit_shm_link(task, nr, regs->di, regs->si);
		return;
	case NR_linkat:
		if (ret == 0 && cfg.shm_dev && mech_enabled(MECH_POSIX_SHM) && current_comm_passes())
			emit_shm_link(task, nr, regs->si, regs->r10);
		return;
	case NR_unlink:
	case NR_unlinkat:
		if (ret == 0 && cfg.shm_dev && mech_enabled(MECH_POSIX_SHM) && current_comm_passes())
			emit_shm_unlink(task, nr, nr == NR_unlink ? regs->di : regs->si);
		return;
	}
	if (!current_comm_passes())
		return;
	switch (nr) {
	case NR_shmget:
		if (!mech_enabled(MECH_SYSV_SHM))
			return;
		e = shm_record(task, MECH_SYSV_SHM, OP_OPEN, nr, ret >= 0 ? ret : 0, ipc_ns_inum(task), ret);
		if (e) {
			e->extra = (__u32)regs->di; /* key */
			e->bytes = regs->si;        /* size */
			e->aux = regs->dx;          /* shmflg */
			submit(e);
		}
		return;
	case NR_shmat:
		if (!mech_enabled(MECH_SYSV_SHM))
			return;
		e = shm_record(task, MECH_SYSV_SHM, OP_ATTACH, nr, (int)regs->di, ipc_ns_inum(task), ret < 0 ? ret : 0);
		if (e) {
			e->extra = ret;      /* the address */
			e->aux = regs->dx;   /* shmflg */
			submit(e);
		}
		if (ret >= 0)
			remember_map(task->tgid, ret, MECH_SYSV_SHM, (int)regs->di, ipc_ns_inum(task), 0);
		return;
	case NR_shmctl:
		if ((int)regs->si != IPC_RMID || !mech_enabled(MECH_SYSV_SHM))
			return;
		e = shm_record(task, MECH_SYSV_SHM, OP_REMOVE, nr, (int)regs->di, ipc_ns_inum(task), ret);
		if (e)
			submit(e);
		return;
	case NR_semget:
		if (!mech_enabled(MECH_SEM))
			return;
		e = shm_record(task, MECH_SEM, OP_OPEN, nr, ret >= 0 ? ret : 0, ipc_ns_inum(task), ret);
		if (e) {
			e->extra = (__u32)regs->di; /* key */
			e->bytes = regs->si;        /* nsems */
			e->aux = regs->dx;          /* semflg */
			submit(e);
		}
		return;
	case NR_semop:
	case NR_semtimedop:
		if (mech_enabled(MECH_SEM))
			emit_semop(task, nr, regs, ret);
		return;
	case NR_semctl:
		if ((int)regs->dx != IPC_RMID || !mech_enabled(MECH_SEM))
			return;
		e = shm_record(task, MECH_SEM, OP_REMOVE, nr, (int)regs->di, ipc_ns_inum(task), ret);
		if (e)
			submit(e);
		return;
	}
}

#endif /* IPCSCOPE_SHM_BPF_H */

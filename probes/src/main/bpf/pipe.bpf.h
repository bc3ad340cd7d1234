/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Anonymous pipes (MECH_PIPE: S_IFIFO on pipefs) and FIFOs (MECH_FIFO: S_IFIFO
 * anywhere else), seen at syscall exit by syscalls.bpf.c: the result is known
 * and the arguments are still in the saved registers, so no enter/exit map is
 * needed. The fd is resolved to its inode through current->files.
 */
#ifndef IPCSCOPE_PIPE_BPF_H
#define IPCSCOPE_PIPE_BPF_H

#include "common.bpf.h"
#include "agg_slots.bpf.h"
#include "socket.bpf.h"

/* Mechanism of an S_IFIFO inode. */
static __always_inline __u16 fifo_mech(const struct file_info *fi)
{
	return fi->magic == PIPEFS_MAGIC ? MECH_PIPE : MECH_FIFO;
}

/*
 * One read or write on fd of task (current), when fd is a pipe or FIFO (or a
 * socket: handed to socket.bpf.h). op 0:
 * decide by the file's mode (vmsplice). other_fd: the other fd of
 * splice/tee/sendfile, -1. The hot path of the whole tool: direct loads only;
 * in aggregate mode a per-CPU slot and no helper call at all.
 */
static __always_inline void emit_rw(struct task_struct *task, __u32 nr, long fd, __u8 op, long ret,
				    long other_fd)
{
	struct file *file = task_fd_to_file(task, fd);
	struct file_info fi = { .mode = 0 };
	struct ipc_event *e;
	__u64 bytes = ret > 0 ? ret : 0;
	__u16 mech;

	if (!file_info_of(file, S_IFIFO, &fi)) {
		/* vmsplice (op 0) takes only a pipe */
		if (op && (fi.mode & S_IFMT) == S_IFSOCK)
			socket_rw(task, nr, fd, file, op, ret, other_fd);
		return;
	}
	mech = fifo_mech(&fi);
	if (!op) /* vmsplice: the user pages go into the pipe when fd is its write end */
		op = fi.f_mode & FMODE_WRITE ? OP_WRITE : OP_READ;
	if (!mech_enabled(mech) || !current_comm_passes())
		return;

	e = channel_record(task, mech, op, nr, fi.ino, fi.dev, bytes, ret, true);
	if (!e)
		return;
	e->fd = fd;
	e->aux = other_fd;
	submit(e);
}

/* pipe/pipe2: the new pipe's inode and both fds. */
static __noinline void emit_pipe_create(__u32 nr, __u64 fds_addr, __u64 pipe2_flags, long ret)
{
	struct file_info fi = {};
	struct ipc_event *e;
	int fds[2] = { -1, -1 };

	if (!mech_enabled(MECH_PIPE) || !current_comm_passes())
		return;
	if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)fds_addr) == 0)
		file_info_of(fd_to_file(fds[0]), 0, &fi);
	else
		fds[0] = fds[1] = -1;

	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header(e, MECH_PIPE, OP_CREATE, nr);
	e->channel_id = fi.ino;
	e->channel_dev = fi.dev;
	e->result = ret;
	e->fd = fds[0];
	e->aux = fds[1];
	e->extra = pipe2_flags;
	submit(e);
}

/* mknod/mknodat of a FIFO: the path as the caller gave it. */
static __noinline void emit_mknod(__u32 nr, long dirfd, __u64 path, __u32 mode, long ret)
{
	struct ipc_event_path *e;

	if ((mode & S_IFMT) != S_IFIFO || !mech_enabled(MECH_FIFO) || !current_comm_passes())
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header(&e->event, MECH_FIFO, OP_CREATE, nr);
	e->event.result = ret;
	e->event.aux = dirfd;
	e->event.extra = mode;
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)path);
	submit(e);
}

/*
 * A successful open that returned a FIFO (not a pipefs inode reached through
 * /proc), or a file on the /dev/shm mount (shm_open: MECH_POSIX_SHM).
 */
static __noinline void emit_open(__u32 nr, long dirfd, __u64 path, __u64 flags, long ret)
{
	struct ipc_event_path *e;
	struct file_info fi;
	__u16 mech;

	if (ret < 0 || !file_info_of(fd_to_file(ret), 0, &fi))
		return;
	if ((fi.mode & S_IFMT) == S_IFIFO && fi.magic != PIPEFS_MAGIC)
		mech = MECH_FIFO;
	else if ((fi.mode & S_IFMT) == S_IFREG && cfg.shm_dev && fi.dev == cfg.shm_dev)
		mech = MECH_POSIX_SHM;
	else
		return;
	if (!mech_enabled(mech) || !current_comm_passes())
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header(&e->event, mech, OP_OPEN, nr);
	e->event.channel_id = fi.ino;
	e->event.channel_dev = fi.dev;
	e->event.result = ret;
	e->event.fd = ret;
	e->event.aux = dirfd;
	e->event.extra = flags;
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)path);
	submit(e);
}

/* Syscalls pipe_sys_exit() handles; syscalls.bpf.c dispatches on this list. */
#define PIPE_SYSCALLS                                                                    \
	case NR_read: case NR_pread64: case NR_readv: case NR_preadv: case NR_preadv2:   \
	case NR_write: case NR_pwrite64: case NR_writev: case NR_pwritev:                \
	case NR_pwritev2: case NR_splice: case NR_tee: case NR_sendfile:                 \
	case NR_vmsplice: case NR_pipe: case NR_pipe2: case NR_mknod: case NR_mknodat:   \
	case NR_open: case NR_creat: case NR_openat: case NR_openat2

/*
 * The exit of one of PIPE_SYSCALLS by task (current, not the tracer, not in a
 * 32-bit syscall): creations and opens are one record each; data transfers
 * touch up to two pipe ends (splice, tee, sendfile).
 */
static __always_inline void pipe_sys_exit(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	long fd_a = -1, fd_b = -1, other_a = -1, other_b = -1;
	__u8 op_a = 0, op_b = 0;
	__u64 flags;

	if (!mech_enabled(MECH_PIPE) && !mech_enabled(MECH_FIFO) && !mech_enabled(MECH_UNIX_SOCKET) &&
	    !mech_enabled(MECH_POSIX_SHM))
		return;
	if (!tgid_passes(task->tgid))
		return;
	switch (nr) {
	case NR_pipe:
	case NR_pipe2:
		emit_pipe_create(nr, regs->di, nr == NR_pipe2 ? (__u32)regs->si : 0, ret);
		return;
	case NR_mknod:
		emit_mknod(nr, AT_FDCWD, regs->di, regs->si, ret);
		return;
	case NR_mknodat:
		emit_mknod(nr, (int)regs->di, regs->si, regs->dx, ret);
		return;
	case NR_open:
		emit_open(nr, AT_FDCWD, regs->di, (__u32)regs->si, ret);
		return;
	case NR_creat:
		emit_open(nr, AT_FDCWD, regs->di, O_CREAT | O_WRONLY | O_TRUNC, ret);
		return;
	case NR_openat:
		emit_open(nr, (int)regs->di, regs->si, (__u32)regs->dx, ret);
		return;
	case NR_openat2:
		if (ret < 0)
			return;
		/* open_how.flags is its first field */
		flags = 0;
		bpf_probe_read_user(&flags, sizeof(flags), (void *)regs->dx);
		emit_open(nr, (int)regs->di, regs->si, flags, ret);
		return;
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
		fd_a = (int)regs->di;
		op_a = OP_READ;
		break;
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
		fd_a = (int)regs->di;
		op_a = OP_WRITE;
		break;
	case NR_splice:
		fd_a = (int)regs->di, op_a = OP_READ, other_a = (int)regs->dx;
		fd_b = (int)regs->dx, op_b = OP_WRITE, other_b = (int)regs->di;
		break;
	case NR_tee:
		fd_a = (int)regs->di, op_a = OP_READ, other_a = (int)regs->si;
		fd_b = (int)regs->si, op_b = OP_WRITE, other_b = (int)regs->di;
		break;
	case NR_sendfile:
		fd_a = (int)regs->si, op_a = OP_READ, other_a = (int)regs->di;
		fd_b = (int)regs->di, op_b = OP_WRITE, other_b = (int)regs->si;
		break;
	case NR_vmsplice:
		fd_a = (int)regs->di; /* op decided by the file's mode */
		break;
	default:
		return;
	}
	emit_rw(task, nr, fd_a, op_a, ret, other_a);
	if (fd_b >= 0)
		emit_rw(task, nr, fd_b, op_b, ret, other_b);
}

#endif /* IPCSCOPE_PIPE_BPF_H */

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * File locks (MECH_FILE_LOCK): flock(2), fcntl(2) record locks and OFD locks,
 * from the filelock tracepoints the lock code itself fires, so no syscall hook
 * is needed and nothing runs on any other syscall.
 *
 *  - posix_lock_inode: an fcntl/OFD lock or unlock was tried on an inode;
 *  - flock_lock_inode: a flock lock or unlock (also the implicit unlock when
 *    the last descriptor of the file closes);
 *  - locks_remove_posix: a process's record locks dropped when it closes any
 *    descriptor of the file.
 *
 * A request that finds the lock held returns FILE_LOCK_DEFERRED (it will
 * sleep: its blocker is the lock in its way, whose owner pid we report) or
 * -EAGAIN (non-blocking: the kernel does not say whose lock it was). Locks
 * are rare: always one record each, aggregate mode or not.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define F_UNLCK 2
#define FILE_LOCK_DEFERRED 1

/* One lock operation on inode by the current task. */
static __always_inline void emit_lock(struct inode *inode, struct file_lock *fl, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file_lock_core *blocker;
	struct ipc_event *e;
	__u8 type, op;
	__u32 peer = 0;

	if (!inode || !fl || !mech_enabled(MECH_FILE_LOCK) || is_tracer(task->tgid) ||
	    !tgid_passes(task->tgid) || !current_comm_passes())
		return;
	type = fl->c.flc_type;
	if (ret == 0)
		op = type == F_UNLCK ? OP_RELEASE : OP_ACQUIRE;
	else if (type != F_UNLCK)
		op = OP_WAIT;
	else
		return; /* a failed unlock moved nothing */
	if (ret == FILE_LOCK_DEFERRED) {
		blocker = fl->c.flc_blocker;
		if (blocker)
			peer = blocker->flc_pid;
	}

	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(e, task, MECH_FILE_LOCK, op, 0);
	e->channel_id = inode->i_ino;
	e->channel_dev = inode->i_sb ? inode->i_sb->s_dev : 0;
	e->peer_pid = peer;
	e->result = ret == FILE_LOCK_DEFERRED ? 0 : ret;
	e->status = ret == FILE_LOCK_DEFERRED; /* 1: the request sleeps until the lock is free */
	e->aux = type;
	e->code = fl->c.flc_flags;
	e->extra = fl->fl_start;
	e->bytes = fl->fl_end; /* inclusive; OFFSET_MAX: to the end of the file */
	submit(e);
}

SEC("tp_btf/posix_lock_inode")
int BPF_PROG(posix_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	emit_lock(inode, fl, ret);
	return 0;
}

SEC("tp_btf/flock_lock_inode")
int BPF_PROG(flock_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	emit_lock(inode, fl, ret);
	return 0;
}

SEC("tp_btf/locks_remove_posix")
int BPF_PROG(locks_remove_posix, struct inode *inode, struct file_lock *fl, int ret)
{
	emit_lock(inode, fl, ret);
	return 0;
}

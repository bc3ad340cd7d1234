/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * POSIX message queues (MECH_POSIX_MQ), seen at syscall exit by
 * syscalls.bpf.c: mq_open, mq_timedsend, mq_timedreceive, mq_notify and
 * mq_unlink (mq_send and mq_receive are glibc wrappers of the timed ones).
 *
 * channel_id is the queue's inode on the mqueue filesystem, channel_dev that
 * filesystem's device (one per IPC namespace). Names are recorded as the
 * syscall gets them: glibc strips the leading '/'.
 */
#ifndef IPCSCOPE_POSIX_MQ_BPF_H
#define IPCSCOPE_POSIX_MQ_BPF_H

#include "common.bpf.h"
#include "agg_slots.bpf.h"

#define MQUEUE_MAGIC 0x19800202

/* Syscalls posix_mq_sys_exit() handles; syscalls.bpf.c dispatches on this list. */
#define POSIX_MQ_SYSCALLS                                                       \
	case NR_mq_open: case NR_mq_unlink: case NR_mq_timedsend:               \
	case NR_mq_timedreceive: case NR_mq_notify

/* mq_open (fd = ret) and mq_unlink: one record with the queue's name. */
static __noinline void emit_mq_named(struct task_struct *task, __u32 nr, __u64 name, __u64 oflag, long ret)
{
	__u8 op = nr == NR_mq_open ? OP_OPEN : OP_REMOVE;
	struct ipc_event_path *e;
	struct file_info fi = {};

	if (op == OP_OPEN && ret >= 0 &&
	    (!file_info_of(task_fd_to_file(task, ret), 0, &fi) || fi.magic != MQUEUE_MAGIC))
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_POSIX_MQ, op, nr);
	e->event.channel_id = fi.ino;
	e->event.channel_dev = fi.dev;
	e->event.fd = op == OP_OPEN ? ret : -1;
	e->event.extra = oflag;
	e->event.result = ret;
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)name);
	submit(e);
}

/*
 * The exit of one of POSIX_MQ_SYSCALLS by task (current, not the tracer, not
 * in a 32-bit syscall). Sends and receives are counted in aggregate mode.
 */
static __always_inline void posix_mq_sys_exit(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	long fd = (int)regs->di;
	struct file_info fi;
	struct ipc_event *e;
	__u64 bytes = 0, extra = 0;
	__s32 aux = 0, code = 0;
	__u32 prio = 0;
	__u8 op;

	if (!mech_enabled(MECH_POSIX_MQ) || !tgid_passes(task->tgid) || !current_comm_passes())
		return;
	switch (nr) {
	case NR_mq_open:
		emit_mq_named(task, nr, regs->di, (__u32)regs->si, ret);
		return;
	case NR_mq_unlink:
		emit_mq_named(task, nr, regs->di, 0, ret);
		return;
	case NR_mq_timedsend:
		op = OP_SEND;
		bytes = ret == 0 ? regs->dx : 0; /* msg_len */
		extra = (__u32)regs->r10;        /* msg_prio */
		break;
	case NR_mq_timedreceive:
		op = OP_RECEIVE;
		bytes = ret > 0 ? ret : 0;
		if (ret >= 0 && regs->r10 &&
		    bpf_probe_read_user(&prio, sizeof(prio), (void *)regs->r10) == 0)
			extra = prio; /* the priority of the message received */
		break;
	case NR_mq_notify:
		op = OP_NOTIFY;
		code = -1; /* no sigevent: unregister */
		if (regs->si) {
			/* struct sigevent: sigev_value (8), sigev_signo (4), sigev_notify (4) */
			bpf_probe_read_user(&aux, sizeof(aux), (void *)(regs->si + 8));
			bpf_probe_read_user(&code, sizeof(code), (void *)(regs->si + 12));
		}
		break;
	default:
		return;
	}
	if (!file_info_of(task_fd_to_file(task, fd), 0, &fi) || fi.magic != MQUEUE_MAGIC)
		return;

	e = channel_record(task, MECH_POSIX_MQ, op, nr, fi.ino, fi.dev, bytes, ret, op != OP_NOTIFY);
	if (!e)
		return;
	e->fd = fd;
	e->extra = extra;
	e->aux = aux;
	e->code = code;
	submit(e);
}

#endif /* IPCSCOPE_POSIX_MQ_BPF_H */

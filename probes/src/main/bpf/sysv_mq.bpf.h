/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * System V message queues (MECH_SYSV_MQ), seen at syscall exit by
 * syscalls.bpf.c: msgget, msgsnd, msgrcv and msgctl(IPC_RMID).
 *
 * channel_id is the queue id (msqid), channel_dev the inode number of the
 * caller's IPC namespace: an id is only unique inside its namespace. The
 * message type is read from the caller's buffer (the first long of struct
 * msgbuf): before the send, after the receive.
 */
#ifndef IPCSCOPE_SYSV_MQ_BPF_H
#define IPCSCOPE_SYSV_MQ_BPF_H

#include "common.bpf.h"
#include "agg_slots.bpf.h"

#define IPC_RMID 0
#define MSG_COPY 040000 /* msgrcv peeks: the message stays queued */

/* Syscalls sysv_mq_sys_exit() handles; syscalls.bpf.c dispatches on this list. */
#define SYSV_MQ_SYSCALLS case NR_msgget: case NR_msgsnd: case NR_msgrcv: case NR_msgctl

/* The caller's IPC namespace, which scopes System V ids (0 when it has none, during exit). */
static __always_inline __u32 ipc_ns_inum(struct task_struct *task)
{
	struct nsproxy *ns = task->nsproxy;

	if (!ns || !ns->ipc_ns)
		return 0;
	return ns->ipc_ns->ns.inum;
}

/* The mtype at the start of a user struct msgbuf; 0 when it cannot be read. */
static __always_inline __u64 user_mtype(__u64 msgp)
{
	long mtype = 0;

	bpf_probe_read_user(&mtype, sizeof(mtype), (void *)msgp);
	return mtype;
}

/*
 * The exit of one of SYSV_MQ_SYSCALLS by task (current, not the tracer, not in
 * a 32-bit syscall). Sends and receives are counted in aggregate mode, every
 * other call is one record.
 */
static __always_inline void sysv_mq_sys_exit(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	__u64 bytes = 0, extra = 0;
	struct ipc_event *e;
	long id = (int)regs->di;
	__s32 aux = 0, code = 0;
	__u8 op;

	if (!mech_enabled(MECH_SYSV_MQ) || !tgid_passes(task->tgid) || !current_comm_passes())
		return;
	switch (nr) {
	case NR_msgget:
		op = OP_OPEN;
		extra = (__u32)regs->di; /* key */
		aux = (int)regs->si;     /* msgflg */
		id = ret;
		break;
	case NR_msgsnd:
		op = OP_SEND;
		bytes = ret == 0 ? regs->dx : 0; /* msgsz: the mtext that was queued */
		extra = user_mtype(regs->si);
		aux = (int)regs->r10;            /* msgflg */
		break;
	case NR_msgrcv:
		op = OP_RECEIVE;
		bytes = ret > 0 ? ret : 0;
		extra = ret >= 0 ? user_mtype(regs->si) : 0; /* the type actually received */
		code = (int)regs->r10;                         /* msgtyp asked for */
		aux = (int)regs->r8;                           /* msgflg */
		break;
	case NR_msgctl:
		if (((int)regs->si & 0xff) != IPC_RMID)
			return;
		op = OP_REMOVE;
		break;
	default:
		return;
	}
	if (id < 0)
		id = 0;

	e = channel_record(task, MECH_SYSV_MQ, op, nr, id, ipc_ns_inum(task), bytes, ret,
			   (op == OP_SEND || op == OP_RECEIVE) && !(aux & MSG_COPY));
	if (!e)
		return;
	e->extra = extra;
	e->aux = aux;
	e->code = code;
	submit(e);
}

#endif /* IPCSCOPE_SYSV_MQ_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What signal.bpf.c (signal_generate) and syscalls.bpf.c (the exit of a
 * signal-sending syscall) share: the syscalls' argument decoding and the
 * `sig_sent` marks, a map the loader shares between the two objects.
 */
#ifndef IPCSCOPE_SIGNAL_BPF_H
#define IPCSCOPE_SIGNAL_BPF_H

#include "common.bpf.h"

#define SIGCHLD 17
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_MESGQ -3
#define SI_TKILL -6
#define SEND_SIG_NOINFO ((struct kernel_siginfo *)0)
#define SEND_SIG_PRIV ((struct kernel_siginfo *)1)
#define EAGAIN 11

/* Threads whose current signal syscall has generated a signal. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} sig_sent SEC(".maps");

/* A signal-sending syscall's arguments. */
struct send_args {
	long sig;
	long pid;    /* as passed: may be 0 or negative for kill */
	long tid;
	long fd;     /* pidfd */
	__u64 info;  /* user siginfo_t *, 0 when none */
	int code;    /* si_code when there is no user siginfo */
};

/* Decodes the arguments of a signal-sending syscall; false for any other nr. */
static __always_inline bool decode_send(long nr, struct pt_regs *regs, struct send_args *a)
{
	__builtin_memset(a, 0, sizeof(*a));
	a->fd = -1;
	switch (nr) {
	case NR_kill:
		a->pid = (int)regs->di, a->sig = (int)regs->si, a->code = SI_USER;
		return true;
	case NR_tkill:
		a->tid = (int)regs->di, a->sig = (int)regs->si, a->code = SI_TKILL;
		return true;
	case NR_tgkill:
		a->pid = (int)regs->di, a->tid = (int)regs->si, a->sig = (int)regs->dx, a->code = SI_TKILL;
		return true;
	case NR_rt_sigqueueinfo:
		a->pid = (int)regs->di, a->sig = (int)regs->si, a->info = regs->dx;
		return true;
	case NR_rt_tgsigqueueinfo:
		a->pid = (int)regs->di, a->tid = (int)regs->si, a->sig = (int)regs->dx, a->info = regs->r10;
		return true;
	case NR_pidfd_send_signal:
		a->fd = (int)regs->di, a->sig = (int)regs->si, a->info = regs->dx, a->code = SI_USER;
		return true;
	}
	return false;
}

/* The filters pass when either end matches them. */
static __always_inline bool signal_passes(__u32 tgid, __u32 peer_tgid, struct task_struct *peer)
{
	char comm[TASK_COMM_LEN];

	if (!cfg.filter_tgid && !cfg.filter_comm[0])
		return true;
	if (tgid_passes(tgid) && current_comm_passes())
		return true;
	if (!tgid_passes(peer_tgid))
		return false;
	if (!cfg.filter_comm[0])
		return true;
	if (!peer)
		return false;
	BPF_CORE_READ_STR_INTO(&comm, peer, comm);
	return comm_matches(comm);
}

/* Syscalls signal_send_exit() handles; syscalls.bpf.c dispatches on this list. */
#define SIGNAL_SEND_SYSCALLS                                                     \
	case NR_kill: case NR_tkill: case NR_tgkill: case NR_rt_sigqueueinfo:    \
	case NR_rt_tgsigqueueinfo: case NR_pidfd_send_signal

/*
 * A signal-sending syscall of the current thread (not the tracer, not in a
 * 32-bit syscall) returns: report it when it generated nothing.
 */
static __always_inline int signal_send_exit(struct pt_regs *regs, long nr, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = id;
	struct send_args args;
	struct ipc_event *e;
	int code;

	if (!mech_enabled(MECH_SIGNAL) || is_tracer(tgid))
		return 0;
	/* already reported by signal_generate */
	if (bpf_map_delete_elem(&sig_sent, &tid) == 0)
		return 0;
	decode_send(nr, regs, &args);
	if (!signal_passes(tgid, args.pid > 0 ? args.pid : 0, NULL))
		return 0;

	code = args.code;
	if (args.info)
		bpf_probe_read_user(&code, sizeof(code),
				    (void *)(args.info + 8)); /* uapi siginfo_t.si_code */

	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(e, MECH_SIGNAL, OP_SEND, nr);
	e->peer_pid = args.pid;
	e->peer_tid = args.tid;
	e->fd = args.fd;
	e->aux = args.sig;
	e->code = code;
	e->status = SIGSTAT_NONE;
	e->result = ret;
	submit(e);
	return 0;
}

#endif /* IPCSCOPE_SIGNAL_BPF_H */

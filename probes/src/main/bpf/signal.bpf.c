// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signals (MECH_SIGNAL): who sent what to whom, and what became of it.
 *
 *  - signal_generate inside a signal-sending syscall of the current thread
 *    (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo,
 *    pidfd_send_signal, recognised from the saved syscall registers with the
 *    same signal number): OP_SEND, one per target. The thread is marked in
 *    `sig_sent` so that its exit does not report the syscall again.
 *  - the exit of such a syscall when it generated nothing (an error, signal
 *    0): OP_SEND with the syscall's result and the target as passed, from
 *    the one sys_exit program of syscalls.bpf.c (signal.bpf.h).
 *  - any other signal_generate: OP_GENERATE (the kernel raised it).
 *  - signal_deliver: OP_DELIVER in the receiver.
 *
 * Signals are rare: always one record each, aggregate mode or not.
 */
#include "common.bpf.h"
#include "signal.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* si_code of a kernel siginfo, with the tracepoint's own reading of the two special pointers. */
static __always_inline int siginfo_code(struct kernel_siginfo *info)
{
	if (info == SEND_SIG_NOINFO)
		return SI_USER;
	if (info == SEND_SIG_PRIV)
		return SI_KERNEL;
	return BPF_CORE_READ(info, si_code);
}

/* The op-specific extra of a signal: si_value when queued, si_status for SIGCHLD. */
static __always_inline __u64 siginfo_extra(struct kernel_siginfo *info, int sig, int code)
{
	if (info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV)
		return 0;
	if (code == SI_QUEUE || code == SI_TIMER || code == SI_MESGQ)
		return (__u64)BPF_CORE_READ(info, _sifields._rt._sigval.sival_ptr);
	if (sig == SIGCHLD && code > 0)
		return (__u32)BPF_CORE_READ(info, _sifields._sigchld._status);
	return 0;
}

/* The sender's pid as the siginfo names it (user-sent signals and SIGCHLD), else 0. */
static __always_inline __u32 siginfo_pid(struct kernel_siginfo *info, int sig, int code)
{
	if (info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV)
		return 0;
	if (code == SI_USER || code == SI_QUEUE || code == SI_TKILL || (sig == SIGCHLD && code > 0))
		return BPF_CORE_READ(info, _sifields._kill._pid);
	return 0;
}

/* A signal is generated for a task: a send by the current thread, or the kernel's own. */
SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = id;
	__u32 peer_pid = BPF_CORE_READ(task, tgid);
	struct task_struct *current;
	struct pt_regs *regs;
	struct send_args args;
	struct ipc_event *e;
	__u8 sent = 1, status = result;
	long nr;
	int code;

	if (!mech_enabled(MECH_SIGNAL) || is_tracer(tgid))
		return 0;

	/* a send when the current thread is in a sending syscall for this very signal */
	current = bpf_get_current_task_btf();
	regs = (struct pt_regs *)bpf_task_pt_regs(current);
	nr = BPF_CORE_READ(regs, orig_ax);
	bool send = decode_send(nr, regs, &args) && args.sig == sig && !in_compat_syscall();

	if (send)
		bpf_map_update_elem(&sig_sent, &tid, &sent, BPF_ANY);
	if (!signal_passes(tgid, peer_pid, task))
		return 0;

	code = siginfo_code(info);
	if (result == TRACE_SIGNAL_DELIVERED && sig > 0 && sig <= 64 &&
	    (BPF_CORE_READ(task, blocked.sig[0]) >> (sig - 1)) & 1)
		status = SIGSTAT_BLOCKED;

	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(e, MECH_SIGNAL, send ? OP_SEND : OP_GENERATE, send ? nr : 0);
	if (!send && (code == SI_KERNEL || code == SI_TIMER)) {
		/* raised by the kernel itself, not on behalf of the current task */
		e->pid = 0;
		e->tid = 0;
		e->start_ns = 0;
	}
	if (send && nr == NR_pidfd_send_signal)
		e->fd = args.fd;
	e->peer_pid = peer_pid;
	e->peer_tid = BPF_CORE_READ(task, pid);
	e->aux = sig;
	e->code = code;
	e->extra = siginfo_extra(info, sig, code);
	e->status = status;
	e->result = result == TRACE_SIGNAL_OVERFLOW_FAIL ? -EAGAIN : 0;
	submit(e);
	return 0;
}

/* The receiver takes a signal: who sent it (when the siginfo says) and how it is handled. */
SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ipc_event *e;
	__u64 handler;
	__u32 sender;
	int code;

	if (!mech_enabled(MECH_SIGNAL) || is_tracer(tgid))
		return 0;
	/*
	 * A SIGKILL without siginfo is the kernel tearing down a thread group that is already exiting (exit_group, or
	 * a fatal signal, whose own send and the exit record tell the story): one per thread, sent by nobody.
	 */
	if (sig == 9 && !info)
		return 0;
	code = siginfo_code(info);
	sender = siginfo_pid(info, sig, code);
	if (!signal_passes(tgid, sender, NULL))
		return 0;

	handler = ka ? (__u64)BPF_CORE_READ(ka, sa.sa_handler) : 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(e, MECH_SIGNAL, OP_DELIVER, 0);
	e->peer_pid = sender;
	e->aux = sig;
	e->code = code;
	e->extra = siginfo_extra(info, sig, code);
	e->status = handler == 0 ? SIGDISP_DEFAULT : handler == 1 ? SIGDISP_IGNORE : SIGDISP_HANDLER;
	submit(e);
	return 0;
}

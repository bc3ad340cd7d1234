// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signals (MECH_SIGNAL): who sent what to whom, and what became of it.
 *
 *  - signal_generate inside a signal-sending syscall of the current thread
 *    (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo,
 *    pidfd_send_signal, recognised from the saved syscall registers with the
 *    same signal number): OP_SEND, one per target. The thread is marked in
 *    `sig_sent` so that its exit does not report the syscall again.
 *  - the exit of such a syscall (its own tracepoint/syscalls/sys_exit_*)
 *    when it generated nothing (an error, signal 0): OP_SEND with the
 *    syscall's result and the target as passed.
 *  - any other signal_generate: OP_GENERATE (the kernel raised it).
 *  - signal_deliver: OP_DELIVER in the receiver.
 *
 * Signals are rare: always one record each, aggregate mode or not.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

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
	submit(e, sizeof(*e));
	return 0;
}

/*
 * A signal-sending syscall returns: report it when it generated nothing.
 * One tracepoint per such syscall, so no program runs on any other syscall.
 */
static __always_inline int send_exit(long nr, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = id;
	struct pt_regs *regs;
	struct send_args args;
	struct ipc_event *e;
	int code;

	if (!mech_enabled(MECH_SIGNAL) || is_tracer(tgid))
		return 0;
	/* already reported by signal_generate */
	if (bpf_map_delete_elem(&sig_sent, &tid) == 0)
		return 0;
	if (in_compat_syscall())
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
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
	submit(e, sizeof(*e));
	return 0;
}

#define SEND_EXIT(name)                                                          \
	SEC("tracepoint/syscalls/sys_exit_" #name)                               \
	int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                \
	{                                                                        \
		return send_exit(NR_##name, ctx->ret);                           \
	}

SEND_EXIT(kill)
SEND_EXIT(tkill)
SEND_EXIT(tgkill)
SEND_EXIT(rt_sigqueueinfo)
SEND_EXIT(rt_tgsigqueueinfo)
SEND_EXIT(pidfd_send_signal)

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
	submit(e, sizeof(*e));
	return 0;
}

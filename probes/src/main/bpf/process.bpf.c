// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Process lifecycle (MECH_PROCESS): fork, exec, exit, so that user space can
 * name both ends of every channel and follow pid reuse.
 *
 * These ignore the pid and command filters (every process must be named),
 * exclude only the tracer, and are always one record each (they are rare).
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* A new process (not a thread): parent -> child. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 child_pid = BPF_CORE_READ(child, pid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	struct ipc_event *e;

	if (!mech_enabled(MECH_PROCESS) || is_tracer(tgid) || child_pid != child_tgid)
		return 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(e, MECH_PROCESS, OP_FORK, 0);
	e->pid = BPF_CORE_READ(parent, tgid);
	e->peer_pid = child_tgid;
	e->peer_tid = child_pid;
	e->extra = BPF_CORE_READ(child, start_boottime);
	submit(e);
	return 0;
}

/*
 * A successful exec: the new program's path and comm, and its arguments. The path fills the first half of the
 * buffer, the arguments (NUL-separated, as in /proc/PID/cmdline, cut to fit) the second: read here, they survive a
 * process that is gone before anyone could read /proc.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ipc_event_path *e;

	if (!mech_enabled(MECH_PROCESS) || is_tracer(tgid))
		return 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(&e->event, MECH_PROCESS, OP_EXEC, 0);
	e->event.peer_pid = old_pid;
	__builtin_memset(e->path, 0, sizeof(e->path));
	bpf_probe_read_kernel_str(e->path, PATH_MAX_LEN / 2, BPF_CORE_READ(bprm, filename));
	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	unsigned long arg_start = BPF_CORE_READ(mm, arg_start);
	unsigned long arg_len = BPF_CORE_READ(mm, arg_end) - arg_start;
	if (arg_len > PATH_MAX_LEN / 2 - 1)
		arg_len = PATH_MAX_LEN / 2 - 1; /* keeps the last byte a NUL */
	bpf_probe_read_user(e->path + PATH_MAX_LEN / 2, arg_len & (PATH_MAX_LEN / 2 - 1), (void *)arg_start);
	submit(e);
	return 0;
}

/* The last thread of a process exits: its raw wait status. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task, bool group_dead)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct ipc_event *e;

	if (!mech_enabled(MECH_PROCESS) || is_tracer(tgid) || !group_dead)
		return 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header(e, MECH_PROCESS, OP_EXIT, 0);
	e->pid = BPF_CORE_READ(task, tgid);
	e->peer_pid = BPF_CORE_READ(task, real_parent, tgid);
	e->aux = BPF_CORE_READ(task, exit_code);
	submit(e);
	return 0;
}

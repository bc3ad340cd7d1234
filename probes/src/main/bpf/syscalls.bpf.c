// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one program on syscall exit, for every mechanism that is seen through
 * syscalls (pipe.bpf.h, signal.bpf.h, sysv_mq.bpf.h, posix_mq.bpf.h,
 * socket.bpf.h, shm.bpf.h). At exit the result is known and
 * the arguments are still in the saved registers, so no enter/exit map is
 * needed.
 *
 * Attaching anything to the sys_exit tracepoint puts every task on the slow
 * syscall path (about 100 ns per syscall here), and each further program or
 * per-syscall tracepoint on it adds its own call on every syscall of the
 * host (about 60 ns here, with retpolines and safe RET). So there is exactly
 * one, and it rejects the syscalls no mechanism wants by number, before any
 * helper call.
 */
#include "common.bpf.h"
#include "agg_slots.bpf.h"
#include "pipe.bpf.h"
#include "signal.bpf.h"
#include "sysv_mq.bpf.h"
#include "posix_mq.bpf.h"
#include "socket.bpf.h"
#include "shm.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	struct task_struct *task;

	switch (nr) {
	PIPE_SYSCALLS:
	SIGNAL_SEND_SYSCALLS:
	SYSV_MQ_SYSCALLS:
	POSIX_MQ_SYSCALLS:
	SOCKET_SYSCALLS:
	SHM_SYSCALLS:
		break;
	default:
		return 0;
	}
	/*
	 * -ERESTARTSYS and kin (512-516) never reach the program: the syscall is
	 * restarted (and exits again with its real result) or returns -EINTR.
	 */
	if (ret <= -512 && ret >= -516)
		return 0;
	task = bpf_get_current_task_btf();
	/* a 32-bit syscall's number is not the x86_64 one matched above */
	if (is_tracer(task->tgid) || task_in_compat_syscall(task))
		return 0;

	switch (nr) {
	SIGNAL_SEND_SYSCALLS:
		signal_send_exit(regs, nr, ret);
		return 0;
	SYSV_MQ_SYSCALLS:
		sysv_mq_sys_exit(task, regs, nr, ret);
		return 0;
	POSIX_MQ_SYSCALLS:
		posix_mq_sys_exit(task, regs, nr, ret);
		return 0;
	SOCKET_SYSCALLS:
		socket_sys_exit(task, regs, nr, ret);
		return 0;
	SHM_SYSCALLS:
		shm_sys_exit(task, regs, nr, ret);
		return 0;
	default:
		pipe_sys_exit(task, regs, nr, ret);
		return 0;
	}
}

/*
 * Never attached: the consumer runs it on each CPU (BPF_PROG_TEST_RUN with a
 * CPU) to move that CPU's agg_slots into agg_stats before reading agg_stats.
 * retval = slots that could not be moved (agg_stats full): they stay counted
 * in their slots and are tried again.
 */
SEC("raw_tp")
int agg_flush(void *ctx)
{
	__u64 failed = 0;

	bpf_loop(AGG_SLOTS, agg_flush_one, &failed, 0);
	return failed;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of any syscall-exit hook, for `ipcscope bench pingpong`: an empty
 * program on sys_exit. Attaching it puts every task on the slow syscall path
 * and adds one BPF program call to every syscall, which is what any tool that
 * watches syscall results pays before doing anything. Never used for tracing.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}

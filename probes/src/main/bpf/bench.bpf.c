// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `ipcscope bench drain`: emits synthetic MECH_BENCH records as fast as the
 * ring buffer takes them, to measure the consumer alone. Never attached: run
 * with BPF_PROG_TEST_RUN, ctx = __u64 args[2]:
 *   args[0] records to emit (at most 1 << 23, bpf_loop's limit);
 *   args[1] != 0: flow control, stop as soon as more than half the ring waits.
 * retval = records emitted.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct bench_ctx {
	__u64 emitted;
	__u64 half_ring;
	__u64 start_ns;
	__u32 pid;
	__u32 tid;
	bool flow_control;
};

/* Emits record number i; returns 1 to stop the loop. */
static long bench_one(__u32 i, struct bench_ctx *c)
{
	struct ipc_event *e;

	if (c->flow_control && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > c->half_ring)
		return 1;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->start_ns = c->start_ns;
	e->bytes = i;
	e->pid = c->pid;
	e->tid = c->tid;
	e->fd = -1;
	e->mechanism = MECH_BENCH;
	e->op = OP_WRITE;
	submit(e);
	c->emitted++;
	return 0;
}

/* Test-run entry: emit args[0] records. */
SEC("raw_tp")
int bench_drain(__u64 *args)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct bench_ctx c = {
		.half_ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 2,
		.start_ns = current_start_ns(),
		.pid = id >> 32,
		.tid = (__u32)id,
		.flow_control = args[1] != 0,
	};
	__u64 n = args[0];

	if (n > (1 << 23))
		n = 1 << 23;
	bpf_loop(n, bench_one, &c, 0);
	return c.emitted;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A stand-in probe object for the Java facade's tests: same maps and rodata
 * contract as the real objects (events, drops, agg_stats, cfg), a raw_tp
 * bench program driven by bpf_prog_test_run_opts, one real attachable hook,
 * and one program that can never load (to test per-program fallback).
 */
/* Rebuild: clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I../../main/bpf -c testprobe.bpf.c -o testprobe.bpf.o */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
/* vmlinux.h has enumerators of the same names (io_uring's); rename ours in this unit. */
#define OP_READ IPC_OP_READ
#define OP_WRITE IPC_OP_WRITE
#define OP_CREATE IPC_OP_CREATE
#define OP_OPEN IPC_OP_OPEN
#define OP_REMOVE IPC_OP_REMOVE
#define OP_LINK IPC_OP_LINK
#include "ipcscope.h"

const volatile struct ipcscope_config cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct agg_key);
	__type(value, struct agg_value);
} agg_stats SEC(".maps");

/* Keep ipc_event_path in BTF for the layout test. */
struct ipc_event_path path_btf_anchor __attribute__((unused));

struct bench_ctx {
	__u64 emitted;
	__u64 half_ring;
	__u64 flow_control;
};

static void count_drop(void)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&drops, &zero);
	if (d)
		__sync_fetch_and_add(d, 1);
}

/* Same contract as bench.bpf.o: flow control stops once half the ring waits; retval counts records emitted. */
static long emit_one(__u64 i, struct bench_ctx *c)
{
	if (c->flow_control && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > c->half_ring)
		return 1;
	struct ipc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->channel_id = c->emitted;
	e->bytes = 8;
	e->pid = 4242;
	e->tid = 4242;
	e->fd = -1;
	e->mechanism = MECH_BENCH;
	e->op = IPC_OP_WRITE;
	__builtin_memcpy(e->comm, "bench", 6);
	bpf_ringbuf_submit(e, cfg.wakeup_bytes ? BPF_RB_NO_WAKEUP : 0);
	c->emitted++;
	return 0;
}

/* ctx: { __u64 count (<= 1 << 23), __u64 flow_control }; retval: records emitted. */
SEC("raw_tp")
int bench_emit(__u64 *args)
{
	struct bench_ctx c = {
		.half_ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 2,
		.flow_control = args[1],
	};
	__u64 n = args[0];

	if (n > (1 << 23))
		n = 1 << 23;
	bpf_loop(n, emit_one, &c, 0);
	return c.emitted;
}

/* Counts every kill(2) the test process's children make, into agg_stats. */
SEC("tp_btf/sys_enter")
int BPF_PROG(tp_btf__sys_enter, struct pt_regs *regs, long id)
{
	if (id != 62 /* __NR_kill */)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (cfg.filter_tgid && tgid != cfg.filter_tgid)
		return 0;
	struct agg_key k = {
		.pid = tgid,
		.peer_pid = (__u32)PT_REGS_PARM1_CORE_SYSCALL(regs),
		.mechanism = MECH_SIGNAL,
		.op = OP_SEND,
		.aux = (__s32)PT_REGS_PARM2_CORE_SYSCALL(regs),
	};
	struct agg_value zero = {}, *v;
	bpf_map_update_elem(&agg_stats, &k, &zero, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&agg_stats, &k);
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		v->last_ts_ns = bpf_ktime_get_ns();
	}
	return 0;
}

/* fentry is refused at load on the target machine (EPERM); elsewhere the hook does not exist. */
SEC("fentry/ipcscope_no_such_function")
int BPF_PROG(fentry__bogus)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

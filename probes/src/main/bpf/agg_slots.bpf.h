/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Aggregate mode's fast path for the syscall handlers: a small direct-mapped
 * table of rows per CPU (agg_slots) in front of the agg_stats hash map. A
 * per-CPU array lookup is inlined by the verifier, where a hash lookup is a
 * call that hashes and compares a 40-byte key: about 50 ns of a 350 ns pipe
 * syscall in this VM.
 *
 * Every operation is counted in exactly one place, so nothing is counted
 * twice:
 *  - in its row's slot, when the slot holds that row or is free;
 *  - otherwise the slot's counts are first moved ("spilled") to agg_stats and
 *    the slot is given to the new row; when agg_stats cannot take them (full)
 *    they stay, and the operation is counted in agg_stats directly.
 * The consumer runs agg_flush on every CPU (BPF_PROG_TEST_RUN with a CPU)
 * before it reads agg_stats, so agg_stats alone is the complete, consistent
 * picture when it is read.
 *
 * Concurrency: a slot is only written on its own CPU, by the sys_exit program
 * in process context or by agg_flush, which runs from an IPI and may
 * interrupt it anywhere. Counts therefore change only by atomic add and
 * exchange, and a slot's key is written before it gets any count, so a flush
 * that lands in the middle moves either nothing or whole counts of the right
 * row. Programs that may run in interrupt context (signals) must not use
 * slots: they could change a key under the interrupted program.
 */
#ifndef IPCSCOPE_AGG_SLOTS_BPF_H
#define IPCSCOPE_AGG_SLOTS_BPF_H

#include "common.bpf.h"

#define AGG_SLOT_BITS 8
#define AGG_SLOTS (1 << AGG_SLOT_BITS)

struct agg_slot {
	struct agg_key key; /* key.pid == 0: free */
	__u64 count;
	__u64 bytes;
	__u64 errors;
	__u64 first_ns; /* when the row took the slot: agg_stats' row time if the spill creates it */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, AGG_SLOTS);
	__type(key, __u32);
	__type(value, struct agg_slot);
} agg_slots SEC(".maps");

#define compiler_barrier() asm volatile("" ::: "memory")

/* Fibonacci hashing of what tells rows apart in practice: channel, process, operation. */
static __always_inline __u32 agg_slot_index(const struct agg_key *k)
{
	__u64 h = k->channel_id ^ ((__u64)k->pid << 32) ^ k->start_ns ^ k->op;

	return (h * 0x9E3779B97F4A7C15ULL) >> (64 - AGG_SLOT_BITS);
}

/* Keys have explicit padding (zeroed): compare them as five words. */
static __always_inline bool agg_key_equal(const struct agg_key *a, const struct agg_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	_Static_assert(sizeof(struct agg_key) == 5 * sizeof(__u64), "agg_key is five words");
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

/*
 * Moves a slot's counts to its row in agg_stats. False when agg_stats cannot
 * take them now (full, or the bucket is locked by the program this flush
 * interrupted): the counts are put back for a later try.
 */
static __always_inline bool agg_slot_spill(struct agg_slot *s)
{
	__u64 count = __sync_lock_test_and_set(&s->count, 0);
	__u64 bytes = __sync_lock_test_and_set(&s->bytes, 0);
	__u64 errors = __sync_lock_test_and_set(&s->errors, 0);
	struct agg_key key;

	if (!(count | bytes | errors))
		return true;
	key = s->key;
	if (agg_add_counts(&key, count, bytes, errors, s->first_ns))
		return true;
	__sync_fetch_and_add(&s->count, count);
	__sync_fetch_and_add(&s->bytes, bytes);
	__sync_fetch_and_add(&s->errors, errors);
	return false;
}

/* Aggregate mode from a syscall handler (process context): counts one operation. */
static __always_inline void agg_count(struct agg_key *key, __u64 bytes, long result)
{
	__u32 idx = agg_slot_index(key);
	struct agg_slot *s = bpf_map_lookup_elem(&agg_slots, &idx);

	if (unlikely(!s)) {
		agg_add(key, bytes, result);
		return;
	}
	if (unlikely(!agg_key_equal(&s->key, key))) {
		if (s->key.pid && !agg_slot_spill(s)) {
			agg_add(key, bytes, result);
			return;
		}
		s->key = *key;
		s->first_ns = bpf_ktime_get_ns();
		compiler_barrier(); /* the key before any count: see the top of this file */
	}
	__sync_fetch_and_add(&s->count, 1);
	if (bytes)
		__sync_fetch_and_add(&s->bytes, bytes);
	if (result < 0)
		__sync_fetch_and_add(&s->errors, 1);
}

/*
 * An operation on a channel, from a syscall handler: in aggregate mode, when
 * `countable` (a data transfer), it is counted in its slot and NULL is
 * returned; otherwise a reserved record comes back with its header, channel,
 * bytes and result filled in, for the caller to complete and submit (NULL
 * when the ring is full: the drop is counted).
 */
static __always_inline struct ipc_event *channel_record(struct task_struct *task, __u16 mech, __u8 op, __u32 nr,
							__u64 channel_id, __u32 channel_dev, __u64 bytes,
							long ret, bool countable)
{
	struct ipc_event *e;

	if (cfg.aggregate && countable) {
		struct agg_key key = {
			.start_ns = task_start_ns(task),
			.channel_id = channel_id,
			.pid = task->tgid,
			.channel_dev = channel_dev,
			.mechanism = mech,
			.op = op,
		};

		agg_count(&key, bytes, ret);
		return NULL;
	}
	e = reserve(sizeof(*e));
	if (!e)
		return NULL;
	fill_header_of(e, task, mech, op, nr);
	e->channel_id = channel_id;
	e->channel_dev = channel_dev;
	e->bytes = bytes;
	e->result = ret;
	return e;
}

/* agg_flush's loop body: spills slot i of this CPU; counts the slots that could not be. */
static long agg_flush_one(__u32 i, __u64 *failed)
{
	struct agg_slot *s = bpf_map_lookup_elem(&agg_slots, &i);

	if (s && s->key.pid && !agg_slot_spill(s))
		*failed += 1;
	return 0;
}

#endif /* IPCSCOPE_AGG_SLOTS_BPF_H */

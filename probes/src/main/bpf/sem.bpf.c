// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * POSIX semaphores (MECH_SEM): sem_post and the sem_*wait family, seen by
 * uprobes on libc's functions (the loader attaches each program to the libc
 * function its name says, after the "libc_" prefix).
 *
 * An uncontended sem_post or sem_wait is an atomic instruction on the shared
 * mapping and makes no syscall at all; a contended one makes a futex call
 * whose count depends on timing. Only the library call itself counts each
 * operation exactly. Its price is a uprobe trap per call (about a
 * microsecond), paid only by processes that use POSIX semaphores.
 *
 * channel_id is 0: the record names the semaphore by its address (extra), and
 * user space finds the shared mapping that holds it (a named semaphore's
 * /dev/shm/sem.NAME, or the shared memory an unnamed one lives in).
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* BPF_KPROBE: libbpf 1.1 has no BPF_UPROBE; both take pt_regs arguments the same way. */

#define VM_SHARED 0x00000008

/* bpf_find_vma's callback: is the semaphore's mapping shared? */
static long vma_is_shared(struct task_struct *task, struct vm_area_struct *vma, bool *shared)
{
	*shared = vma->vm_flags & VM_SHARED;
	return 0;
}

/*
 * One operation on the semaphore at sem: code +1 for a post, -1 for a wait.
 * Only semaphores in shared memory are IPC: the private ones (a runtime's
 * locks: CPython takes one for every GIL handoff) are skipped.
 */
static __always_inline int sem_call(void *sem, __u8 op, __s32 delta, __u32 how)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ipc_event *e;
	bool shared = false;

	if (!mech_enabled(MECH_SEM) || is_tracer(task->tgid) || !tgid_passes(task->tgid) || !current_comm_passes())
		return 0;
	if (bpf_find_vma(task, (__u64)sem, vma_is_shared, &shared, 0) || !shared)
		return 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header_of(e, task, MECH_SEM, op, 0);
	e->extra = (__u64)sem;
	e->code = delta;
	e->aux = how;
	submit(e);
	return 0;
}

/* Which call it was: aux of the record. */
#define SEM_HOW_POST 0
#define SEM_HOW_WAIT 1
#define SEM_HOW_TIMEDWAIT 2
#define SEM_HOW_CLOCKWAIT 3
#define SEM_HOW_TRYWAIT 4

SEC("uprobe")
int BPF_KPROBE(libc_sem_post, void *sem)
{
	return sem_call(sem, OP_POST, 1, SEM_HOW_POST);
}

SEC("uprobe")
int BPF_KPROBE(libc_sem_wait, void *sem)
{
	return sem_call(sem, OP_WAIT, -1, SEM_HOW_WAIT);
}

SEC("uprobe")
int BPF_KPROBE(libc_sem_timedwait, void *sem)
{
	return sem_call(sem, OP_WAIT, -1, SEM_HOW_TIMEDWAIT);
}

SEC("uprobe")
int BPF_KPROBE(libc_sem_clockwait, void *sem)
{
	return sem_call(sem, OP_WAIT, -1, SEM_HOW_CLOCKWAIT);
}

SEC("uprobe")
int BPF_KPROBE(libc_sem_trywait, void *sem)
{
	return sem_call(sem, OP_WAIT, -1, SEM_HOW_TRYWAIT);
}

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
 *
 * Whether that mapping is shared is asked of bpf_find_vma, which only
 * trylocks the mm: while another thread of the process maps, unmaps or
 * mprotects (a JVM's allocator and JIT do it all the time) it fails with
 * -EBUSY. Such an operation is kept and marked SEM_MAPPING_UNKNOWN in
 * status: user space keeps it when the address is in a shared mapping it
 * saw, and drops it otherwise.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* BPF_KPROBE: libbpf 1.1 has no BPF_UPROBE; both take pt_regs arguments the same way. */

#define VM_SHARED 0x00000008
#define ENOENT 2 /* bpf_find_vma: no mapping holds the address */

/* bpf_find_vma's callback: is the semaphore's mapping shared? */
static long vma_is_shared(struct task_struct *task, struct vm_area_struct *vma, bool *shared)
{
	*shared = vma->vm_flags & VM_SHARED;
	return 0;
}

/* Whether the semaphore's mapping was seen shared: status of the record. */
#define SEM_MAPPING_SHARED 0
#define SEM_MAPPING_UNKNOWN 1 /* bpf_find_vma failed (-EBUSY): user space decides */

/*
 * One operation on the semaphore at sem: code +1 for a post, -1 for a wait.
 * Only semaphores in shared memory are IPC: the ones seen in a private
 * mapping, or in none, are skipped (a runtime's own locks: CPython takes one
 * for every GIL handoff, a JVM hundreds in a second's run).
 */
static __always_inline int sem_call(void *sem, __u8 op, __s32 delta, __u32 how)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ipc_event *e;
	bool shared = false;
	long err;

	if (!mech_enabled(MECH_SEM) || is_tracer(task->tgid) || !tgid_passes(task->tgid) || !current_comm_passes())
		return 0;
	err = bpf_find_vma(task, (__u64)sem, vma_is_shared, &shared, 0);
	if ((!err && !shared) || err == -ENOENT)
		return 0;
	e = reserve(sizeof(*e));
	if (!e)
		return 0;
	fill_header_of(e, task, MECH_SEM, op, 0);
	e->extra = (__u64)sem;
	e->code = delta;
	e->aux = how;
	e->status = err ? SEM_MAPPING_UNKNOWN : SEM_MAPPING_SHARED;
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

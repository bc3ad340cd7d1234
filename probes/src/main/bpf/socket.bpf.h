/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unix-domain sockets (MECH_UNIX_SOCKET), seen at syscall exit by
 * syscalls.bpf.c: the socket calls of SOCKET_SYSCALLS, and read/write and
 * friends on a socket fd (through fd_rw() in pipe.bpf.h).
 *
 * Both ends are resolved in the kernel: the peer of a connected socket is
 * unix_sk(sk)->peer, and a struct sock carries its socket inode (sk_ino)
 * while a file holds it; after a close, unix_inodes remembers it. So a
 * channel has the same identity at both ends:
 *  - stream and seqpacket: the SENDING socket's inode (one channel per
 *    direction of a connection). Its reader always knows it: the peer of
 *    the reading socket. The receiving end may not have an inode yet (a
 *    client may write before the server's accept() creates it).
 *  - datagram: the RECEIVING socket's inode (one queue, any number of
 *    senders). An unconnected sendto() names its destination only by
 *    address: unix_names (filled at bind) resolves it; a name bound before
 *    tracing began is left to user space (the record carries the address
 *    and channel_id 0).
 * extra is the socket at the other end (0 when unknown), fd the caller's
 * socket, status the socket type (SOCK_STREAM 1, SOCK_DGRAM 2,
 * SOCK_SEQPACKET 5), peer_pid the peer's process as the kernel recorded it
 * at connect time (SO_PEERCRED), 0 when none. Calls that would block
 * (-EAGAIN) moved nothing and are not recorded: event loops poll with them.
 */
#ifndef IPCSCOPE_SOCKET_BPF_H
#define IPCSCOPE_SOCKET_BPF_H

#include "common.bpf.h"
#include "agg_slots.bpf.h"
#include "inet.bpf.h"

#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_SEQPACKET 5
#define MSG_PEEK 2
#define S_IFSOCK 0140000
#define SUN_PATH_LEN 108
#define EAGAIN 11
#define SOCK_DEAD_BIT 0 /* enum sock_flags: SOCK_DEAD */

/* Syscalls socket_sys_exit() handles; syscalls.bpf.c dispatches on this list. */
#define SOCKET_SYSCALLS                                                               \
	case NR_socket: case NR_socketpair: case NR_bind: case NR_listen:             \
	case NR_connect: case NR_accept: case NR_accept4: case NR_sendto:             \
	case NR_recvfrom: case NR_sendmsg: case NR_recvmsg: case NR_sendmmsg:         \
	case NR_recvmmsg

/* What ipcscope needs of a socket. */
struct sock_info {
	struct sock *sk;
	__u64 ino;
	__u16 family;
	__u16 type;
};

/*
 * Inodes of the Unix sockets seen at setup (socket, socketpair, connect,
 * accept), by struct sock address. sk_ino is zeroed when the owner closes the
 * socket (sock_orphan), but its peer may still read what it wrote: the reader
 * then finds the writer's inode here. LRU: closes are not traced.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} unix_inodes SEC(".maps");

/* The socket inode of sk while a file holds it (0: none yet, an embryo waiting in accept's queue; or closed). */
static __always_inline __u64 sock_ino_live(struct sock *sk)
{
	struct socket *sock;

	if (!sk)
		return 0;
	if (bpf_core_field_exists(sk->sk_ino))
		return sk->sk_ino;
	/* before 6.18 */
	sock = sk->sk_socket;
	return sock && sock->file ? sock->file->f_inode->i_ino : 0;
}

/* The socket inode of sk, also after its owner closed it when it was seen at setup; 0 when unknown. */
static __always_inline __u64 sock_ino(struct sock *sk)
{
	__u64 key = (__u64)sk, *ino;
	__u64 live = sock_ino_live(sk);

	if (live || !sk)
		return live;
	/*
	 * Only a closed socket (SOCK_DEAD) may be looked up: a live one without
	 * an inode is an embryo waiting in accept's queue, whose address may be
	 * that of an earlier socket the map still remembers.
	 */
	if (!(sk->__sk_common.skc_flags & (1UL << SOCK_DEAD_BIT)))
		return 0;
	ino = bpf_map_lookup_elem(&unix_inodes, &key); /* rare: a helper call only here */
	return ino ? *ino : 0;
}

/* Remembers sk's inode for sock_ino() after a close. */
static __always_inline void remember_sock(struct sock *sk, __u64 ino)
{
	__u64 key = (__u64)sk;

	if (sk && ino)
		bpf_map_update_elem(&unix_inodes, &key, &ino, BPF_ANY);
}

/* The socket behind a file; false when the file is not a socket. */
static __always_inline bool sock_info_of(struct file *file, struct sock_info *si)
{
	struct socket *sock;
	struct inode *inode;

	if (!file)
		return false;
	inode = file->f_inode;
	if (!inode || (inode->i_mode & S_IFMT) != S_IFSOCK)
		return false;
	sock = bpf_rdonly_cast(file->private_data, bpf_core_type_id_kernel(struct socket));
	if (!sock || !sock->sk)
		return false;
	si->sk = sock->sk;
	si->ino = inode->i_ino;
	si->family = si->sk->__sk_common.skc_family;
	si->type = si->sk->sk_type;
	return true;
}

static __always_inline struct unix_sock *unix_sk_of(struct sock *sk)
{
	return bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct unix_sock));
}

/* The connected peer of a Unix socket, or NULL. */
static __always_inline struct sock *unix_peer_of(struct sock *sk)
{
	return unix_sk_of(sk)->peer;
}

/* The process at the other end as the kernel recorded it at connect (SO_PEERCRED), 0 when none. */
static __always_inline __u32 peer_tgid(struct sock *sk)
{
	struct pid *pid = sk->sk_peer_pid;

	return pid ? pid->numbers[0].nr : 0;
}

/*
 * Copies the name a Unix socket is bound to (its own, or its listener's for
 * an accepted socket) into path, raw: a leading NUL means an abstract name.
 * Returns the name's length in bytes, 0 when unnamed.
 */
static __always_inline __s32 unix_name_of(struct sock *sk, char *path)
{
	struct unix_address *addr;
	int len;

	if (!sk)
		return 0;
	addr = unix_sk_of(sk)->addr;
	if (!addr)
		return 0;
	len = addr->len - (int)sizeof(__u16); /* minus sun_family */
	if (len <= 0)
		return 0;
	if (len > SUN_PATH_LEN)
		len = SUN_PATH_LEN;
	bpf_probe_read_kernel(path, SUN_PATH_LEN, addr->name[0].sun_path);
	return len;
}

/*
 * A Unix socket name as a map key: the name's bytes, zero after its end. A
 * path ends at its first NUL (callers may or may not count the NUL in the
 * address length); an abstract name (leading NUL) is exactly `len` bytes.
 */
struct unix_name {
	char path[SUN_PATH_LEN];
	__u32 len; /* abstract names only; 0 for paths */
};

/* Datagram sockets by the name they are bound to, filled at bind: a send by name finds its receiver here. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct unix_name);
	__type(value, __u64);
} unix_names SEC(".maps");

/* One per CPU: a 112-byte key is too big for the stack of the paths that need it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct unix_name);
} unix_name_scratch SEC(".maps");

/* Zeroes what follows the name read into k->path (`len` raw bytes given by the caller). */
static __always_inline void unix_name_finish(struct unix_name *k, __u32 len)
{
	bool abstract = k->path[0] == 0;
	bool ended = false;

	for (int i = 0; i < SUN_PATH_LEN; i++) {
		if (abstract ? i >= len : ended || k->path[i] == 0) {
			k->path[i] = 0;
			ended = true;
		}
	}
	k->len = abstract ? len : 0;
}

/* The per-CPU scratch key, or NULL. */
static __always_inline struct unix_name *unix_name_key(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&unix_name_scratch, &zero);
}

/* A datagram socket got a name: remember which socket receives what is sent to it. */
static __always_inline void remember_name(struct sock *sk, __u64 ino)
{
	struct unix_address *addr = unix_sk_of(sk)->addr;
	struct unix_name *k = unix_name_key();
	int len;

	if (!addr || !k)
		return;
	len = addr->len - (int)sizeof(__u16);
	if (len <= 0 || len > SUN_PATH_LEN)
		return;
	if (bpf_probe_read_kernel(k->path, SUN_PATH_LEN, addr->name[0].sun_path))
		return;
	unix_name_finish(k, len);
	bpf_map_update_elem(&unix_names, k, &ino, BPF_ANY);
}

/* The socket bound to the name a send gave (a user sockaddr_un of dest_len bytes), 0 when unknown. */
static __always_inline __u64 receiver_by_name(__u64 dest_addr, __u32 dest_len)
{
	struct unix_name *k = unix_name_key();
	__u64 *ino;

	if (!k || dest_len <= sizeof(__u16))
		return 0;
	if (bpf_probe_read_user(k->path, SUN_PATH_LEN, (void *)(dest_addr + sizeof(__u16))))
		return 0;
	unix_name_finish(k, dest_len - sizeof(__u16));
	ino = bpf_map_lookup_elem(&unix_names, k);
	return ino ? *ino : 0;
}

/*
 * The channel of a transfer on a Unix socket and the socket at its other end:
 * the sending socket of a stream or seqpacket, the receiving one of a
 * datagram socket (0 when unknown: a datagram sent by name).
 */
static __always_inline void unix_channel(struct sock_info *si, bool send, __u64 *channel, __u64 *other)
{
	struct sock *peer = unix_peer_of(si->sk);

	if (si->type != SOCK_DGRAM) {
		*channel = send ? si->ino : sock_ino(peer);
		*other = send ? sock_ino(peer) : si->ino;
	} else {
		*channel = send ? sock_ino(peer) : si->ino;
		*other = send ? si->ino : sock_ino(peer);
	}
}

/* struct msghdr (x86_64 layout). */
struct ipcscope_msghdr {
	__u64 msg_name;
	__u32 msg_namelen;
	__u32 __pad;
	__u64 msg_iov;
	__u64 msg_iovlen;
	__u64 msg_control;
	__u64 msg_controllen;
	__s32 msg_flags;
};

/* struct cmsghdr, then its data */
struct ipcscope_cmsghdr {
	__u64 cmsg_len;
	__s32 cmsg_level;
	__s32 cmsg_type;
};

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define FDS_MAX 4

/*
 * Descriptors passed with SCM_RIGHTS in the first control message of a
 * successful sendmsg or recvmsg: one FD_SEND or FD_RECEIVE record per
 * descriptor (up to FDS_MAX), naming the passed object by inode. The sender
 * still holds them at exit; the receiver holds its new descriptors.
 */
static __noinline void emit_fd_passes(struct task_struct *task, __u32 nr, struct sock_info *si, bool send,
				      struct ipcscope_msghdr *mh)
{
	struct ipcscope_cmsghdr cm;
	int fds[FDS_MAX];
	__u32 n;

	if (!mh->msg_control || mh->msg_controllen < sizeof(cm) + sizeof(int))
		return;
	if (bpf_probe_read_user(&cm, sizeof(cm), (void *)mh->msg_control))
		return;
	if (cm.cmsg_level != SOL_SOCKET || cm.cmsg_type != SCM_RIGHTS || cm.cmsg_len < sizeof(cm) + sizeof(int))
		return;
	n = (cm.cmsg_len - sizeof(cm)) / sizeof(int);
	if (n > FDS_MAX)
		n = FDS_MAX;
	if (bpf_probe_read_user(fds, sizeof(fds), (void *)(mh->msg_control + sizeof(cm))))
		return;
	for (int i = 0; i < FDS_MAX; i++) {
		struct file_info passed = {};
		struct ipc_event *e;
		__u64 channel, other;

		if (i >= n)
			break;
		if (!file_info_of(task_fd_to_file(task, fds[i]), 0, &passed))
			continue;
		unix_channel(si, send, &channel, &other);
		e = reserve(sizeof(*e));
		if (!e)
			return;
		fill_header_of(e, task, MECH_UNIX_SOCKET, send ? OP_FD_SEND : OP_FD_RECEIVE, nr);
		e->channel_id = channel;
		e->extra = passed.ino;
		e->bytes = passed.dev;
		e->code = passed.mode;
		e->peer_tid = passed.magic;
		e->aux = fds[i];
		e->status = si->type;
		e->peer_pid = peer_tgid(si->sk);
		submit(e);
	}
}

/*
 * A data transfer on a Unix socket: `send` when data left the caller's socket.
 * dest_addr: the user's sockaddr_un of an unconnected sendto/sendmsg (0: none).
 */
static __always_inline void unix_transfer(struct task_struct *task, __u32 nr, long fd, struct sock_info *si,
					  bool send, long ret, long other_fd, __u64 dest_addr, __u32 dest_len)
{
	__u64 channel, other, bytes = ret > 0 ? ret : 0;
	bool stream = si->type != SOCK_DGRAM;
	struct ipc_event *e;
	__u8 op;

	unix_channel(si, send, &channel, &other);
	if (stream) {
		op = send ? OP_WRITE : OP_READ;
		if (si->type == SOCK_SEQPACKET)
			op = send ? OP_SEND : OP_RECEIVE;
	} else {
		op = send ? OP_SEND : OP_RECEIVE;
		if (send && dest_addr && dest_len > sizeof(__u16))
			channel = receiver_by_name(dest_addr, dest_len);
		if (send && dest_addr && dest_len > sizeof(__u16) && !channel) {
			/* bound before we were tracing: user space resolves the name */
			struct ipc_event_path *p = reserve(sizeof(*p));
			__u32 len = dest_len - sizeof(__u16);

			if (!p)
				return;
			fill_header_of(&p->event, task, MECH_UNIX_SOCKET, op, nr);
			p->event.bytes = bytes;
			p->event.result = ret;
			p->event.extra = si->ino;
			p->event.fd = fd;
			p->event.aux = len > SUN_PATH_LEN ? SUN_PATH_LEN : len;
			p->event.status = si->type;
			__builtin_memset(p->path, 0, sizeof(p->path));
			bpf_probe_read_user(p->path, SUN_PATH_LEN, (void *)(dest_addr + sizeof(__u16)));
			submit(p);
			return;
		}
	}
	e = channel_record(task, MECH_UNIX_SOCKET, op, nr, channel, 0, bytes, ret, true);
	if (!e)
		return;
	e->extra = other;
	e->fd = fd;
	e->aux = other_fd;
	e->status = si->type;
	e->peer_pid = peer_tgid(si->sk);
	submit(e);
}

/*
 * A read or write of PIPE_SYSCALLS on a socket fd (pipe.bpf.h found it is
 * one): op OP_WRITE when data left through fd, else OP_READ.
 */
static __always_inline void socket_rw(struct task_struct *task, __u32 nr, long fd, struct file *file, __u8 op,
				      long ret, long other_fd)
{
	struct sock_info si;

	if (ret == -EAGAIN || !sock_info_of(file, &si) || !current_comm_passes())
		return;
	if (si.family == AF_UNIX) {
		if (mech_enabled(MECH_UNIX_SOCKET))
			unix_transfer(task, nr, fd, &si, op == OP_WRITE, ret, other_fd, 0, 0);
	} else if (si.family == AF_INET || si.family == AF_INET6) {
		inet_transfer(task, nr, fd, si.sk, si.family, op == OP_WRITE, ret, other_fd, 0);
	}
}

/*
 * socket, bind, listen, connect, accept: one record with the socket, its peer
 * and its name; fd is the socket (for accept, the new one).
 */
static __noinline void emit_unix_setup(struct task_struct *task, __u32 nr, __u8 op, long fd, long ret)
{
	struct ipc_event_path *e;
	struct sock_info si;
	struct sock *peer;

	if (fd < 0 || !sock_info_of(task_fd_to_file(task, fd), &si) || si.family != AF_UNIX)
		return;
	remember_sock(si.sk, si.ino);
	if (op == OP_BIND && si.type == SOCK_DGRAM)
		remember_name(si.sk, si.ino);
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(&e->event, task, MECH_UNIX_SOCKET, op, nr);
	peer = unix_peer_of(si.sk);
	e->event.channel_id = si.ino;
	e->event.extra = sock_ino(peer);
	e->event.result = ret;
	e->event.fd = fd;
	e->event.status = si.type;
	e->event.peer_pid = op == OP_CONNECT || op == OP_ACCEPT ? peer_tgid(si.sk) : 0;
	__builtin_memset(e->path, 0, sizeof(e->path));
	/* a client is named after what it connected to; others after their own name (or their listener's) */
	e->event.aux = unix_name_of(op == OP_CONNECT && peer ? peer : si.sk, e->path);
	submit(e);
}

/* connect, accept: a Unix socket's setup record, or a loopback TCP/UDP one's. */
static __always_inline void emit_setup(struct task_struct *task, __u32 nr, __u8 op, long fd, long ret)
{
	struct sock_info si;

	if (!sock_info_of(task_fd_to_file(task, fd), &si))
		return;
	if (si.family == AF_UNIX && mech_enabled(MECH_UNIX_SOCKET))
		emit_unix_setup(task, nr, op, fd, ret);
	else if (si.family == AF_INET || si.family == AF_INET6)
		emit_inet_setup(task, nr, op, fd, si.sk, si.family, ret);
}

/* socketpair: both sockets, one record: channel_id/fd the first, extra/aux the second. */
static __noinline void emit_unix_pair(struct task_struct *task, __u32 nr, __u64 fds_addr, long ret)
{
	struct sock_info a = {}, b = {};
	int fds[2] = { -1, -1 };
	struct ipc_event *e;

	if (ret != 0 || bpf_probe_read_user(fds, sizeof(fds), (void *)fds_addr) != 0)
		return;
	if (!sock_info_of(task_fd_to_file(task, fds[0]), &a) || a.family != AF_UNIX)
		return;
	sock_info_of(task_fd_to_file(task, fds[1]), &b);
	remember_sock(a.sk, a.ino);
	remember_sock(b.sk, b.ino);
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(e, task, MECH_UNIX_SOCKET, OP_CREATE, nr);
	e->channel_id = a.ino;
	e->extra = b.ino;
	e->fd = fds[0];
	e->aux = fds[1];
	e->status = a.type;
	e->result = ret;
	submit(e);
}


/* struct mmsghdr (x86_64): a msghdr, then the bytes that message moved. */
#define MMSGHDR_SIZE 64
#define MMSG_LEN_OFFSET 56
#define MMSG_MAX 64 /* messages recorded per call; the rest are not */

/* What sendmmsg/recvmmsg's loop body needs. */
struct mmsg_walk {
	struct task_struct *task;
	struct sock_info *si;
	__u64 vec;
	long fd;
	__u32 nr;
	__u32 count;
	bool send;
};

/* One message of a sendmmsg/recvmmsg: a transfer of its msg_len bytes, as if sendmsg/recvmsg had moved it. */
static long mmsg_one(__u32 i, struct mmsg_walk *w)
{
	struct ipcscope_msghdr mh = {};
	__u32 len = 0;
	__u64 at;

	if (i >= w->count)
		return 1;
	at = w->vec + (__u64)i * MMSGHDR_SIZE;
	if (bpf_probe_read_user(&mh, sizeof(mh), (void *)at) ||
	    bpf_probe_read_user(&len, sizeof(len), (void *)(at + MMSG_LEN_OFFSET)))
		return 1;
	if (w->si->family == AF_UNIX)
		unix_transfer(w->task, w->nr, w->fd, w->si, w->send, len, -1, mh.msg_name, mh.msg_namelen);
	else
		inet_transfer(w->task, w->nr, w->fd, w->si->sk, w->si->family, w->send, len, -1, mh.msg_name);
	return 0;
}

/* sendmmsg/recvmmsg (w->count messages moved): one transfer record per message (up to MMSG_MAX). */
static __noinline void emit_mmsg(struct mmsg_walk *w)
{
	if (w->si->family == AF_UNIX && !mech_enabled(MECH_UNIX_SOCKET))
		return;
	bpf_loop(MMSG_MAX, mmsg_one, w, 0);
}

/*
 * The exit of one of SOCKET_SYSCALLS by task (current, not the tracer, not
 * in a 32-bit syscall).
 */
static __always_inline void socket_sys_exit(struct task_struct *task, struct pt_regs *regs, long nr, long ret)
{
	long fd = (int)regs->di;
	struct ipcscope_msghdr mh = {};
	__u64 dest = 0;
	__u32 dest_len = 0, flags = 0;
	struct sock_info si;
	bool send;

	if (!mech_enabled(MECH_UNIX_SOCKET) && !mech_enabled(MECH_TCP) && !mech_enabled(MECH_UDP))
		return;
	if (!tgid_passes(task->tgid) || !current_comm_passes())
		return;
	switch (nr) {
	case NR_socket:
		if ((int)regs->di == AF_UNIX && ret >= 0 && mech_enabled(MECH_UNIX_SOCKET))
			emit_unix_setup(task, nr, OP_CREATE, ret, ret);
		return;
	case NR_socketpair:
		if ((int)regs->di == AF_UNIX && mech_enabled(MECH_UNIX_SOCKET))
			emit_unix_pair(task, nr, regs->r10, ret);
		return;
	case NR_bind:
		if (ret == 0 && mech_enabled(MECH_UNIX_SOCKET))
			emit_unix_setup(task, nr, OP_BIND, fd, ret);
		return;
	case NR_listen:
		if (ret == 0 && mech_enabled(MECH_UNIX_SOCKET))
			emit_unix_setup(task, nr, OP_LISTEN, fd, ret);
		return;
	case NR_connect:
		if (ret == 0)
			emit_setup(task, nr, OP_CONNECT, fd, ret);
		return;
	case NR_accept:
	case NR_accept4:
		if (ret >= 0)
			emit_setup(task, nr, OP_ACCEPT, ret, ret);
		return;
	case NR_sendto:
		send = true;
		dest = regs->r8;
		dest_len = regs->r9;
		break;
	case NR_sendmsg:
		send = true;
		if (bpf_probe_read_user(&mh, sizeof(mh), (void *)regs->si) == 0) {
			dest = mh.msg_name;
			dest_len = mh.msg_namelen;
		}
		break;
	case NR_recvfrom:
		send = false;
		flags = regs->r10;
		dest = regs->r8; /* the source address the kernel wrote back */
		break;
	case NR_sendmmsg:
	case NR_recvmmsg:
		if (ret > 0 && sock_info_of(task_fd_to_file(task, fd), &si) &&
		    (si.family == AF_UNIX || si.family == AF_INET || si.family == AF_INET6)) {
			struct mmsg_walk w = {
				.task = task, .si = &si, .vec = regs->si, .fd = fd, .nr = nr,
				.count = ret < MMSG_MAX ? ret : MMSG_MAX, .send = nr == NR_sendmmsg,
			};

			emit_mmsg(&w);
		}
		return;
	case NR_recvmsg:
		send = false;
		flags = regs->dx;
		/* the kernel wrote what it received, control messages too, into the caller's msghdr */
		bpf_probe_read_user(&mh, sizeof(mh), (void *)regs->si);
		dest = mh.msg_name;
		break;
	default:
		return;
	}
	/* a peek consumes nothing (the read that follows does); "would block" moved nothing */
	if ((flags & MSG_PEEK) || ret == -EAGAIN)
		return;
	if (!sock_info_of(task_fd_to_file(task, fd), &si))
		return;
	if (si.family == AF_INET || si.family == AF_INET6) {
		inet_transfer(task, nr, fd, si.sk, si.family, send, ret, -1, dest);
		return;
	}
	if (si.family != AF_UNIX || !mech_enabled(MECH_UNIX_SOCKET))
		return;
	unix_transfer(task, nr, fd, &si, send, ret, -1, dest, dest_len);
	if ((nr == NR_sendmsg || nr == NR_recvmsg) && ret >= 0 && mh.msg_control)
		emit_fd_passes(task, nr, &si, send, &mh);
}

#endif /* IPCSCOPE_SOCKET_BPF_H */

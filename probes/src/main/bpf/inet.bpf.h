/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TCP and UDP between local processes (MECH_TCP, MECH_UDP), seen at syscall
 * exit through socket.bpf.h: the same calls as Unix sockets, on AF_INET and
 * AF_INET6 sockets whose other end is a loopback address. Traffic with other
 * hosts is out of scope: it is counted in inet_remote, not recorded.
 *
 * A channel is one direction of a flow, named by its two endpoints:
 * channel_id = the sending endpoint, extra = the receiving one, each packed
 * by endpoint_key(). Both ends compute the same pair from their own socket
 * (local and remote swapped), so no lookup joins them. An unconnected UDP
 * socket has no remote in the kernel: a send takes it from the destination
 * argument, a receive from the source address the kernel wrote back.
 *
 * In aggregate mode a row's channel_id is the sending endpoint and the
 * receiving one is split over peer_pid (low 32 bits) and aux (high bits).
 */
#ifndef IPCSCOPE_INET_BPF_H
#define IPCSCOPE_INET_BPF_H

#include "common.bpf.h"
#include "agg_slots.bpf.h"
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define ENDPOINT_V6 (1ULL << 48)

/* Transfers with other hosts, per CPU: [0] calls, [1] bytes. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} inet_remote SEC(".maps");

/* A local endpoint: the address and port of one side, or 0 when it is not on the loopback. */
struct inet_side {
	__u32 v4;       /* host order */
	__u16 port;     /* host order */
	bool v6;        /* ::1 */
	bool loopback;
};

/* 1 << 48 for ::1, else the IPv4 address (host order) << 16, | the port. */
static __always_inline __u64 endpoint_key(const struct inet_side *s)
{
	return (s->v6 ? ENDPOINT_V6 : (__u64)s->v4 << 16) | s->port;
}

static __always_inline void side_v4(struct inet_side *s, __be32 addr, __u16 port)
{
	s->v4 = bpf_ntohl(addr);
	s->port = port;
	s->v6 = false;
	s->loopback = (s->v4 >> 24) == 127;
}

/* ::1, or an IPv4-mapped loopback address (::ffff:127.x.y.z), else not local. */
static __always_inline void side_v6(struct inet_side *s, const __u32 *a, __u16 port)
{
	s->port = port;
	s->v6 = false;
	s->v4 = 0;
	s->loopback = false;
	if (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == bpf_htonl(1)) {
		s->v6 = true;
		s->loopback = true;
	} else if (a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff)) {
		side_v4(s, a[3], port);
	}
}

/* The socket's own end. */
static __always_inline void local_side(struct sock *sk, __u16 family, struct inet_side *s)
{
	if (family == AF_INET6)
		side_v6(s, sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32, sk->__sk_common.skc_num);
	else
		side_v4(s, sk->__sk_common.skc_rcv_saddr, sk->__sk_common.skc_num);
}

/* The socket's connected other end (port 0 when not connected). */
static __always_inline void remote_side(struct sock *sk, __u16 family, struct inet_side *s)
{
	__u16 port = bpf_ntohs(sk->__sk_common.skc_dport);

	if (family == AF_INET6)
		side_v6(s, sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32, port);
	else
		side_v4(s, sk->__sk_common.skc_daddr, port);
}

/* A sockaddr_in or sockaddr_in6 in user memory (a destination or a source); false when unreadable. */
static __always_inline bool user_side(__u64 addr, struct inet_side *s)
{
	struct {
		__u16 family;
		__be16 port;
		__u32 v4_or_flowinfo;
		__u32 v6[4];
	} sa;

	if (!addr || bpf_probe_read_user(&sa, sizeof(sa), (void *)addr))
		return false;
	if (sa.family == AF_INET) {
		side_v4(s, sa.v4_or_flowinfo, bpf_ntohs(sa.port));
		return true;
	}
	if (sa.family == AF_INET6) {
		side_v6(s, sa.v6, bpf_ntohs(sa.port));
		return true;
	}
	return false;
}

/* A transfer with another host: counted, not recorded. */
static __always_inline void count_remote(__u64 bytes)
{
	__u32 calls = 0, sum = 1;
	__u64 *n = bpf_map_lookup_elem(&inet_remote, &calls);

	if (n)
		*n += 1;
	n = bpf_map_lookup_elem(&inet_remote, &sum);
	if (n)
		*n += bytes;
}

/* The mechanism of an inet socket: TCP for streams, UDP for datagrams, 0 for others (raw, SCTP...). */
static __always_inline __u16 inet_mech(struct sock *sk)
{
	__u16 proto = sk->sk_protocol;

	return proto == IPPROTO_TCP ? MECH_TCP : proto == IPPROTO_UDP ? MECH_UDP : 0;
}

/*
 * A transfer on an inet socket. other_addr: for an unconnected UDP socket,
 * the user's sockaddr of the destination (send) or the source (receive,
 * already written by the kernel); 0 otherwise.
 */
static __always_inline void inet_transfer(struct task_struct *task, __u32 nr, long fd, struct sock *sk, __u16 family,
					  bool send, long ret, long other_fd, __u64 other_addr)
{
	__u16 mech = inet_mech(sk);
	struct inet_side local, remote;
	__u64 bytes = ret > 0 ? ret : 0, from, to;
	struct ipc_event *e;
	__u8 op;

	if (!mech || !mech_enabled(mech))
		return;
	local_side(sk, family, &local);
	remote_side(sk, family, &remote);
	if (remote.port == 0 && !user_side(other_addr, &remote)) {
		/*
		 * A datagram received without asking its source (recv on an
		 * unconnected socket): recorded with channel_id 0 when this end is
		 * on the loopback, so the sender must be local too (user space
		 * names it); one on an address open to other hosts may be theirs.
		 */
		if (send || !local.loopback || mech != MECH_UDP)
			return;
		e = reserve(sizeof(*e));
		if (!e)
			return;
		fill_header_of(e, task, mech, OP_RECEIVE, nr);
		e->extra = endpoint_key(&local);
		e->bytes = bytes;
		e->result = ret;
		e->fd = fd;
		e->aux = other_fd;
		e->status = sk->sk_type;
		submit(e);
		return;
	}
	if (!remote.loopback) {
		count_remote(bytes);
		return;
	}
	if (!local.loopback) /* bound to any address and not connected: it sent from the remote's loopback */
		local.v4 = remote.v4, local.v6 = remote.v6;
	from = send ? endpoint_key(&local) : endpoint_key(&remote);
	to = send ? endpoint_key(&remote) : endpoint_key(&local);
	op = mech == MECH_TCP ? (send ? OP_WRITE : OP_READ) : (send ? OP_SEND : OP_RECEIVE);
	if (cfg.aggregate) {
		struct agg_key key = {
			.start_ns = task_start_ns(task),
			.channel_id = from,
			.pid = task->tgid,
			.peer_pid = (__u32)to,
			.mechanism = mech,
			.op = op,
			.aux = (__s32)(to >> 32),
		};

		agg_count(&key, bytes, ret);
		return;
	}
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(e, task, mech, op, nr);
	e->channel_id = from;
	e->extra = to;
	e->bytes = bytes;
	e->result = ret;
	e->fd = fd;
	e->aux = other_fd;
	e->status = sk->sk_type;
	submit(e);
}

/* connect and accept on a TCP or UDP socket to or from the loopback: channel_id = local, extra = remote. */
static __always_inline void emit_inet_setup(struct task_struct *task, __u32 nr, __u8 op, long fd, struct sock *sk,
				       __u16 family, long ret)
{
	__u16 mech = inet_mech(sk);
	struct inet_side local, remote;
	struct ipc_event *e;

	if (!mech || !mech_enabled(mech))
		return;
	local_side(sk, family, &local);
	remote_side(sk, family, &remote);
	if (!remote.loopback)
		return;
	e = reserve(sizeof(*e));
	if (!e)
		return;
	fill_header_of(e, task, mech, op, nr);
	e->channel_id = endpoint_key(&local);
	e->extra = endpoint_key(&remote);
	e->fd = fd;
	e->result = ret;
	e->status = sk->sk_type;
	submit(e);
}

#endif /* IPCSCOPE_INET_BPF_H */

package io.ipcscope.probes.bpf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** JNA mapping of the few libc calls the probes need: mmap of the ring, epoll on it, mount of tracefs, log formatting. */
interface LibcNative extends Library {

  LibcNative INSTANCE = Native.load("c", LibcNative.class);

  int PROT_READ = 0x1;
  int PROT_WRITE = 0x2;
  int MAP_SHARED = 0x01;
  int EPOLL_CLOEXEC = 0x80000;
  int EPOLL_CTL_ADD = 1;
  int EPOLLIN = 0x001;
  int EPOLLET = 1 << 31;
  int SC_PAGESIZE = 30;
  int EINTR = 4;

  Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

  int munmap(Pointer addr, long length);

  int epoll_create1(int flags);

  int epoll_ctl(int epfd, int op, int fd, Pointer event);

  int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

  int close(int fd);

  int mount(String source, String target, String fsType, long flags, Pointer data);

  long sysconf(int name);

  int getpid();

  int vsnprintf(Pointer buf, long size, String format, Pointer vaList);
}

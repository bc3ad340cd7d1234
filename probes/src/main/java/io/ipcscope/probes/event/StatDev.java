package io.ipcscope.probes.event;

/** Device numbers: the probes report the kernel's encoding of st_dev, Java reads glibc's. */
public final class StatDev {

  private StatDev() {}

  /** Converts st_dev as {@code stat(2)} returns it (glibc encoding) to the kernel's ({@code major << 20 | minor}). */
  public static int toKernel(long userDev) {
    long major = ((userDev >>> 8) & 0xfff) | ((userDev >>> 32) & ~0xfffL);
    long minor = (userDev & 0xff) | ((userDev >>> 12) & ~0xffL);
    return (int) ((major << 20) | (minor & 0xfffff));
  }
}

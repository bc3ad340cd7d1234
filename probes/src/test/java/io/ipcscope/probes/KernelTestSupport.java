package io.ipcscope.probes;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * For tests that load BPF programs into the running kernel. Without root (or CAP_BPF + CAP_PERFMON) or without
 * kernel BTF they are skipped with the reason, except under {@code CI=true}, where a kernel test that cannot run is
 * itself a failure.
 */
public final class KernelTestSupport implements BeforeAllCallback {

  /** Why kernel tests cannot run here, or null when they can. */
  static String missingPrerequisite() {
    if (!Privileges.isX86_64()) {
      return "not Linux x86_64";
    }
    Privileges p = Privileges.current();
    if (!p.sufficient()) {
      return "needs root or CAP_BPF+CAP_PERFMON (" + p.describe() + ")";
    }
    if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
      return "kernel has no BTF (/sys/kernel/btf/vmlinux)";
    }
    return null;
  }

  static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String missing = missingPrerequisite();
    if (missing == null) {
      return;
    }
    String what = context.getDisplayName() + ": kernel test cannot run: " + missing;
    if (underCi()) {
      throw new AssertionError(what + " (CI=true: kernel tests must run, not skip)");
    }
    throw new TestAbortedException(what);
  }
}

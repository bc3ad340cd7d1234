package io.ipcscope.collector;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that make namespaces (pid namespaces, as pods and containers have): they need root. They skip with the
 * reason elsewhere, and fail under CI=true, where root is a given.
 */
public final class RootOnly implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    if ("root".equals(System.getProperty("user.name"))) {
      return;
    }
    String what = context.getDisplayName() + ": needs root (it makes pid namespaces with unshare)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(what + " (CI=true: these tests must run, not skip)");
    }
    Assumptions.abort(what);
  }
}

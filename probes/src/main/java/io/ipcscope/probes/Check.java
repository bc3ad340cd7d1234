package io.ipcscope.probes;

/**
 * One preflight check of {@code ipcscope doctor}.
 *
 * @param name what was checked, e.g. "kernel BTF"
 * @param ok whether it passed
 * @param detail what was found
 * @param advice what to do about a failure; empty when ok
 */
public record Check(String name, boolean ok, String detail, String advice) {

  static Check pass(String name, String detail) {
    return new Check(name, true, detail, "");
  }

  static Check fail(String name, String detail, String advice) {
    return new Check(name, false, detail, advice);
  }
}

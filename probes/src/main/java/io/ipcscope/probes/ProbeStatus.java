package io.ipcscope.probes;

import io.ipcscope.probes.event.Mechanism;

/**
 * What became of one BPF program of a session.
 *
 * @param mechanism the mechanism its object serves (the first one, for an object serving several)
 * @param object the object file, e.g. {@code pipe.bpf.o}
 * @param program the program's name (named after its hook)
 * @param section its ELF section: the hook, e.g. {@code tracepoint/syscalls/sys_exit_write}
 * @param state loaded and attached, or why not
 * @param reason empty when all went well; else errno name and libbpf's or the verifier's words
 */
public record ProbeStatus(
    Mechanism mechanism, String object, String program, String section, State state, String reason) {

  public enum State {
    /** Loaded and attached to its hook. */
    ATTACHED,
    /** Loaded; it has no hook and runs through test_run (bench). */
    LOADED,
    /** Rejected at load (verifier, missing kernel type, EPERM...). */
    LOAD_FAILED,
    /** Loaded, but attaching to its hook failed. */
    ATTACH_FAILED,
    /** The object file is not in the build. */
    MISSING
  }

  /** True when the program is doing its work (attached, or loaded for test_run). */
  public boolean ok() {
    return state == State.ATTACHED || state == State.LOADED;
  }

  public boolean attached() {
    return state == State.ATTACHED;
  }

  @Override
  public String toString() {
    return object + ":" + program + " [" + section + "] " + state + (reason.isEmpty() ? "" : ": " + reason);
  }
}

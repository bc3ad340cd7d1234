package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;

/**
 * The host as a recording remembers it: each question is answered by the next record, which must be the answer to
 * that very question. Strict, a replay with the recording's own settings treats any other record there as divergence
 * (a bug: the model asked something the live one did not). Lenient, one with other settings (another peer wait asks
 * other questions) answers unrecorded questions as a host that knows nothing would: trust the model.
 */
final class ReplayHostView implements HostView {

  /** Ends the replay from inside a model call: the model asked what the live one did not. */
  static final class Stop extends RuntimeException {
    Stop(String message) {
      super(message, null, false, false);
    }
  }

  /** "Everything is still open": retaining holdings against it changes nothing. */
  private static final Set<ChannelKey> TRUST_MODEL = new AbstractSet<>() {
    @Override
    public boolean contains(Object o) {
      return true;
    }

    @Override
    public Iterator<ChannelKey> iterator() {
      return Collections.emptyIterator();
    }

    @Override
    public int size() {
      return 0;
    }
  };

  private final RecordingReader reader;
  private final boolean strict;
  private boolean stopped;

  ReplayHostView(RecordingReader reader, boolean strict) {
    this.reader = reader;
    this.strict = strict;
  }

  /** From now on every question gets the know-nothing answer (the recording cannot answer any more). */
  void stop() {
    stopped = true;
  }

  @Override
  public HostSnapshot snapshot() {
    if (answer() instanceof RecordingEntry.Snapshot s) {
      take();
      return s.snapshot();
    }
    unrecorded("the start snapshot");
    return HostSnapshot.EMPTY;
  }

  @Override
  public Set<ChannelKey> openChannels(int pid) {
    if (answer() instanceof RecordingEntry.OpenChannels a && a.pid() == pid) {
      take();
      return a.open();
    }
    unrecorded("which channels " + pid + " has open");
    return TRUST_MODEL;
  }

  @Override
  public boolean stillHolds(int pid, ChannelKey channel) {
    if (answer() instanceof RecordingEntry.Holds a && a.pid() == pid && a.channel().equals(channel)) {
      take();
      return a.holds();
    }
    unrecorded("whether " + pid + " still holds " + channel);
    return true;
  }

  /**
   * Recordings made before ipcscope asked for process details have none: such a replay gets them unknown, which
   * changes nothing else the model does, so it is no divergence.
   */
  @Override
  public ProcessDetails details(int pid) {
    if (answer() instanceof RecordingEntry.Details a && a.pid() == pid) {
      take();
      return a.details();
    }
    return ProcessDetails.UNKNOWN;
  }

  @Override
  public String mountPoint(int kernelDev) {
    if (answer() instanceof RecordingEntry.MountPoint a && a.kernelDev() == kernelDev) {
      take();
      return a.mountPoint();
    }
    unrecorded("the mount point of device " + (kernelDev >>> 20) + ":" + (kernelDev & 0xFFFFF));
    return "";
  }

  /** The next record, or null once stopped or at the end. */
  private RecordingEntry answer() {
    if (stopped) {
      return null;
    }
    try {
      return reader.peek();
    } catch (DamagedRecordingException e) {
      // the recording ends here: the event being replayed still completes, with the know-nothing answer, and the
      // replay loop reports the damage when it reads on
      stopped = true;
      return null;
    }
  }

  /** Consumes the answer {@link #answer} peeked at (so it is in memory: reading it cannot fail). */
  private void take() {
    try {
      reader.next();
    } catch (DamagedRecordingException e) {
      throw new IllegalStateException("a peeked record failed to read", e);
    }
  }

  private void unrecorded(String question) {
    if (stopped || !strict) {
      return;
    }
    RecordingEntry there;
    try {
      there = reader.peek();
    } catch (DamagedRecordingException e) {
      there = null; // answer() saw it already
    }
    stopped = true;
    throw new Stop(Replay.diverged(reader, "the model asked " + question + ", the recording has "
        + (there == null ? "nothing more" : Replay.kind(there)) + " there"));
  }
}

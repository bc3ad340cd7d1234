package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Operation;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One aligned line per event, in the manner of the bcc *snoop tools. */
final class TextFormatter implements EventFormatter {

  private static final String FORMAT = "%-12s %-22s %-11s %-8s %-26s %-22s %-10s %s";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final MonotonicClock clock;

  TextFormatter(MonotonicClock clock) {
    this.clock = clock;
  }

  @Override
  public String header() {
    return String.format(FORMAT, "TIME", "COMM[PID]", "MECH", "OP", "CHANNEL", "PEER", "BYTES/SIG", "RESULT");
  }

  @Override
  public void format(ResolvedEvent r, StringBuilder out) {
    IpcEvent e = r.event();
    String time = LocalTime.ofInstant(Instant.ofEpochMilli(clock.toEpochMillis(e.tsNanos())), ZoneId.systemDefault())
        .format(TIME);
    String actor = e.pid() == 0 ? "[kernel]" : r.comm() + "[" + e.pid() + "]";
    String channel = channelColumn(r);
    String peer = r.peerPid() == 0 ? "-" : (r.peerComm().isEmpty() ? "?" : r.peerComm()) + "[" + r.peerPid() + "]"
        + (r.peerGuessed() ? "?" : "");
    String amount;
    String result;
    switch (e.mechanism()) {
      case SIGNAL -> {
        amount = SignalNames.name(e.aux());
        result = e.result() < 0 ? Describe.result(e.result()) : Describe.signalOutcome(e);
      }
      case PROCESS -> {
        amount = "-";
        result = switch (e.op()) {
          case EXIT -> Describe.exitStatus(e.aux());
          default -> Describe.result(e.result());
        };
      }
      case FILE_LOCK -> {
        amount = Describe.lockType(e.aux()); // a lock moves no bytes: say which lock
        result = e.op() == Operation.WAIT && e.status() == 1 ? "sleeps" : Describe.result(e.result());
      }
      case SEM -> {
        // a semaphore moves no bytes: say by how much it moved (System V's sem_op, POSIX's +1/-1)
        amount = e.op() == Operation.POST || e.op() == Operation.WAIT ? String.format("%+d", e.code()) : "-";
        result = Describe.result(e.result());
      }
      default -> {
        amount = Long.toString(e.bytes());
        result = Describe.result(e.result());
      }
    }
    out.append(String.format(FORMAT, time, actor, e.mechanism().id(), e.op().id(), channel, peer, amount, result));
  }

  /** A FIFO shows its path, an exec its file, a pipe its /proc name; "-" when none applies. */
  private static String channelColumn(ResolvedEvent r) {
    if (!r.path().isEmpty()) {
      return r.path();
    }
    String channel = Describe.channel(r);
    return channel == null ? "-" : channel;
  }

  @Override
  public void lost(long count, StringBuilder out) {
    out.append("LOST ").append(count).append(" events: the ring buffer was full (try --ring-size or --aggregate)");
  }
}

package io.ipcscope.cli.bench;

import io.ipcscope.cli.trace.MechanismConverter;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.PeerJoiner;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.proc.ProcScanner;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ipcscope itself with every probe attached: in per-event mode a consumer thread does what {@code trace --json}
 * does (decode, name both ends, format) into a discarding sink; in aggregate mode the kernel counts and the
 * consumer only reads process events.
 */
final class IpcscopeTracer implements TracerMode {

  private final boolean aggregate;
  private ProbeSession session;
  private Thread consumer;
  private volatile boolean running;
  private final AtomicLong events = new AtomicLong();
  private long drops;

  IpcscopeTracer(boolean aggregate) {
    this.aggregate = aggregate;
  }

  @Override
  public String name() {
    return aggregate ? "aggregate" : "per-event";
  }

  @Override
  public void start(long driverPid, long pongPid) {
    session = ProbeSession.open(ProbeConfig.builder()
        .mechanisms(EnumSet.copyOf(MechanismConverter.TRACEABLE))
        .aggregate(aggregate)
        .libcUprobes(true) // every probe attached, the opt-in ones too: the bench measures their cost
        .build());
    ProcessTable processes = new ProcessTable();
    ChannelTable channels = new ChannelTable();
    ProcScanner.system().seed(processes, channels);
    StringBuilder line = new StringBuilder(512);
    var formatter = io.ipcscope.cli.trace.Formatters.json();
    PeerJoiner joiner = new PeerJoiner(processes, channels, 200_000_000L, r -> {
      line.setLength(0);
      formatter.format(r, line);
      events.incrementAndGet();
    });
    running = true;
    consumer = new Thread(() -> {
      while (running) {
        session.poll(joiner::accept, 50);
        joiner.flush(System.nanoTime());
      }
      while (session.poll(joiner::accept, 0) > 0) {
        // the rest
      }
      joiner.drain();
    }, "bench-consumer");
    consumer.start();
  }

  @Override
  public String note() {
    return aggregate ? "lost " + drops : events.get() + " events, lost " + drops;
  }

  @Override
  public void resetCounts() {
    events.set(0);
  }

  @Override
  public void close() throws Exception {
    running = false;
    if (consumer != null) {
      consumer.join(5000);
    }
    if (session != null) {
      drops = session.drops();
      session.close();
      session = null;
    }
  }
}

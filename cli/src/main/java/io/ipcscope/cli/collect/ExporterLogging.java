package io.ipcscope.cli.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The SDK's exporters log a failed export with its stack trace, every time. An SRE needs one line that says what
 * is wrong, and not a thousand of them while a backend restarts: this prints each distinct message at most once a
 * minute, as {@code ipcscope: exporter: MESSAGE}, without the trace.
 */
final class ExporterLogging extends Handler {

  private static final long QUIET_MILLIS = 60_000;
  /** Kept strongly: JUL holds loggers weakly, and a collected one would lose its handler. */
  private static Logger otel;

  private final Map<String, Long> lastPrinted = new HashMap<>();

  static synchronized void install() {
    if (otel != null) {
      return;
    }
    otel = Logger.getLogger("io.opentelemetry");
    otel.setUseParentHandlers(false);
    otel.addHandler(new ExporterLogging());
    otel.setLevel(Level.WARNING);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() < Level.WARNING.intValue()) {
      return;
    }
    String message = record.getMessage() == null ? "" : record.getMessage().lines().findFirst().orElse("");
    if (record.getThrown() != null && record.getThrown().getMessage() != null) {
      message += " (" + record.getThrown().getMessage().lines().findFirst().orElse("") + ")";
    }
    long now = System.currentTimeMillis();
    Long last = lastPrinted.get(message);
    if (last != null && now - last < QUIET_MILLIS) {
      return;
    }
    lastPrinted.put(message, now);
    System.err.println("ipcscope: exporter: " + message);
  }

  @Override
  public void flush() {
    System.err.flush();
  }

  @Override
  public void close() {}
}

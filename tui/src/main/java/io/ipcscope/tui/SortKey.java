package io.ipcscope.tui;

/** The order of the dashboard's rows; every key sorts descending, busiest or most recent first. */
public enum SortKey {
  BYTES_RATE("bytes/s"),
  MESSAGE_RATE("msgs/s"),
  TOTAL_BYTES("total"),
  LATENCY("latency"),
  LAST_SEEN("last seen");

  private final String label;

  SortKey(String label) {
    this.label = label;
  }

  /** How the footer names it. */
  public String label() {
    return label;
  }

  SortKey next() {
    SortKey[] all = values();
    return all[(ordinal() + 1) % all.length];
  }
}

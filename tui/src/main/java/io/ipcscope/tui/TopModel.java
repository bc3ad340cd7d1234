package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ChannelView;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.SignalFlow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Everything {@code ipcscope top} shows, with no terminal: the last frame, per-edge rates and history, and the
 * user's choices (view, sort, filter, pause, help). Views only render {@link #rows()} and the getters.
 *
 * <p>Time is the frames' CLOCK_MONOTONIC time, never the wall clock, so the model is deterministic under test and a
 * replayed recording ages as it did live.
 */
public final class TopModel {

  /** Samples of sparkline history kept per edge, one per frame. */
  public static final int HISTORY = 60;
  /** An edge first seen this recently is highlighted. */
  public static final long FRESH_NANOS = 3_000_000_000L;
  /** An edge idle this long is dimmed. */
  public static final long FADE_NANOS = 10_000_000_000L;

  /** What the table lists. */
  public enum View {
    TALK("Talk"),
    CHANNELS("Channels"),
    PROCESSES("Processes"),
    SIGNALS("Signals"),
    MAP("Map"),
    EVENTS("Events");

    private final String title;

    View(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  private final Map<EdgeKey, EdgeHistory> histories = new HashMap<>();
  private final SignalRates signalRates = new SignalRates();
  private TopFrame frame;
  private double eventsPerSec;
  private View view = View.TALK;
  /** The first row shown: the table scrolls when it has more rows than the screen. */
  private int scroll;
  private SortKey sort = SortKey.BYTES_RATE;
  private String filter = "";
  private boolean paused;
  private boolean help;
  /** Non-null while the user types a filter; applied only on Enter so typing does not reshuffle the table. */
  private StringBuilder filterDraft;

  /** Takes a new frame, unless paused: rates are the counters' change since the previous frame over its time. */
  public void update(TopFrame next) {
    if (paused) {
      return;
    }
    TopFrame prev = frame;
    double seconds = prev == null ? 0 : (next.atNanos() - prev.atNanos()) / 1e9;
    if (prev != null && seconds <= 0) {
      return; // a frame not newer than the last one says nothing about rates
    }
    eventsPerSec = prev == null ? 0 : perSecond(next.health().events() - prev.health().events(), seconds);
    Map<EdgeKey, EdgeHistory> seen = new HashMap<>();
    for (Edge e : next.graph().edges()) {
      EdgeHistory h = histories.get(e.key());
      if (h == null) {
        h = new EdgeHistory(next.atNanos(), prev == null);
        // An edge new since the previous frame started from zero within that interval.
        h.messagesPerSec = perSecond(e.messages(), seconds);
        h.bytesPerSec = perSecond(e.bytes(), seconds);
      } else {
        h.messagesPerSec = perSecond(e.messages() - h.messages, seconds);
        h.bytesPerSec = perSecond(e.bytes() - h.bytes, seconds);
      }
      h.messages = e.messages();
      h.bytes = e.bytes();
      // Signals, locks and shared memory move no bytes; their activity is their message rate.
      h.sample(e.bytes() > 0 ? h.bytesPerSec : h.messagesPerSec, HISTORY);
      seen.put(e.key(), h);
    }
    // Edges the collector evicted are forgotten here too.
    histories.clear();
    histories.putAll(seen);
    signalRates.update(next.graph().signals(), next.atNanos(), seconds);
    frame = next;
    changed();
  }

  /** A rate that is 0 without an interval or when a counter went backwards (an edge evicted and seen again). */
  static double perSecond(long delta, double seconds) {
    return seconds <= 0 || delta <= 0 ? 0 : delta / seconds;
  }

  /** The rows of the current view, filtered and sorted. */
  public List<TopRow> rows() {
    return switch (view) {
      case TALK -> List.<TopRow>copyOf(talkRows());
      case CHANNELS -> List.<TopRow>copyOf(channelRows());
      case PROCESSES -> List.<TopRow>copyOf(processRows());
      case SIGNALS -> List.<TopRow>copyOf(signalRows());
      case MAP, EVENTS -> List.of();
    };
  }

  private List<TalkRow> computeTalkRows() {
    if (frame == null) {
      return List.of();
    }
    Map<ProcessKey, ProcessNode> nodes = nodes();
    List<TalkRow> rows = new ArrayList<>();
    for (Edge e : frame.graph().edges()) {
      EdgeHistory h = histories.get(e.key());
      String from = label(nodes, e.key().from());
      String to = label(nodes, e.key().to());
      String channel = channelName(e);
      if (!matches(from, to, e.mechanism().id(), channel, e.key().channel() == null ? "" : e.key().channel().display())) {
        continue;
      }
      long ago = Math.max(0, frame.atNanos() - e.lastNanos());
      boolean fresh = !h.presentAtStart && frame.atNanos() - h.firstSeenNanos < FRESH_NANOS;
      rows.add(new TalkRow(e.key(), from, to, e.mechanism(), channel, h.messagesPerSec, h.bytesPerSec, e.messages(),
          e.bytes(), e.latencyMeanNanos(), h.samples(), ago, fresh, ago >= FADE_NANOS));
    }
    rows.sort(talkOrder());
    return List.copyOf(rows);
  }

  private Comparator<TalkRow> talkOrder() {
    Comparator<TalkRow> primary = switch (sort) {
      case BYTES_RATE -> Comparator.comparingDouble(TalkRow::bytesPerSec);
      case MESSAGE_RATE -> Comparator.comparingDouble(TalkRow::messagesPerSec);
      case TOTAL_BYTES -> Comparator.comparingLong(TalkRow::bytes);
      case LATENCY -> Comparator.comparingLong(TalkRow::latencyMeanNanos);
      case LAST_SEEN -> Comparator.comparingLong((TalkRow r) -> -r.lastAgoNanos());
    };
    // Ties (idle edges) keep a stable order by total and names, so rows do not jump between frames.
    return primary.reversed().thenComparing(Comparator.comparingLong(TalkRow::bytes).reversed())
        .thenComparing(TalkRow::from).thenComparing(TalkRow::to).thenComparing(TalkRow::channel);
  }

  private List<ChannelRow> computeChannelRows() {
    if (frame == null) {
      return List.of();
    }
    Map<ProcessKey, ProcessNode> nodes = nodes();
    Map<Object, Double> rateByChannel = new HashMap<>();
    Map<Object, Double> messageRateByChannel = new HashMap<>();
    for (Edge e : frame.graph().edges()) {
      if (e.key().channel() != null) {
        EdgeHistory h = histories.get(e.key());
        rateByChannel.merge(e.key().channel(), h.bytesPerSec, Double::sum);
        messageRateByChannel.merge(e.key().channel(), h.messagesPerSec, Double::sum);
      }
    }
    List<ChannelRow> rows = new ArrayList<>();
    List<Double> messageRates = new ArrayList<>();
    for (ChannelView c : ChannelView.of(frame.graph())) {
      String name = c.path() == null || c.path().isEmpty() ? c.channel().display() : c.path();
      String ends = c.endpoints().stream().map(p -> p.role() + " " + label(nodes, p.process()))
          .collect(Collectors.joining(", "));
      if (!matches(name, c.channel().display(), c.mechanism().id(), ends)) {
        continue;
      }
      rows.add(new ChannelRow(name, c.mechanism(), ends, rateByChannel.getOrDefault(c.channel(), 0.0), c.bytes(),
          c.messages(), c.maxBacklogBytes()));
    }
    Comparator<ChannelRow> primary = switch (sort) {
      case MESSAGE_RATE -> Comparator.comparingLong(ChannelRow::messages);
      case TOTAL_BYTES -> Comparator.comparingLong(ChannelRow::bytes);
      case LATENCY, LAST_SEEN -> Comparator.comparingLong(ChannelRow::maxBacklogBytes);
      case BYTES_RATE -> Comparator.comparingDouble(ChannelRow::bytesPerSec);
    };
    rows.sort(primary.reversed().thenComparing(ChannelRow::channel));
    return List.copyOf(rows);
  }

  private List<ProcessRow> computeProcessRows() {
    if (frame == null) {
      return List.of();
    }
    Map<ProcessKey, double[]> rates = new LinkedHashMap<>(); // in bytes/s, out bytes/s, msgs/s
    for (ProcessNode n : frame.graph().nodes()) {
      rates.put(n.key(), new double[3]);
    }
    for (Edge e : frame.graph().edges()) {
      EdgeHistory h = histories.get(e.key());
      double[] out = rates.computeIfAbsent(e.key().from(), k -> new double[3]);
      double[] in = rates.computeIfAbsent(e.key().to(), k -> new double[3]);
      out[1] += h.bytesPerSec;
      in[0] += h.bytesPerSec;
      out[2] += h.messagesPerSec;
      in[2] += h.messagesPerSec;
    }
    Map<ProcessKey, ProcessNode> nodes = nodes();
    List<ProcessRow> rows = new ArrayList<>();
    rates.forEach((key, r) -> {
      if (key.pid() == 0) {
        return; // the unobserved writer is not a process
      }
      ProcessNode n = nodes.get(key);
      String comm = n == null || n.comm().isEmpty() ? "?" : n.comm();
      if (matches(comm, Integer.toString(key.pid()))) {
        rows.add(new ProcessRow(key.pid(), comm, n == null ? 0 : n.parentPid(), r[0], r[1], r[2]));
      }
    });
    Comparator<ProcessRow> primary = sort == SortKey.MESSAGE_RATE
        ? Comparator.comparingDouble(ProcessRow::messagesPerSec)
        : Comparator.comparingDouble((ProcessRow p) -> p.inBytesPerSec() + p.outBytesPerSec());
    rows.sort(primary.reversed().thenComparingInt(ProcessRow::pid));
    return List.copyOf(rows);
  }

  private List<SignalRow> computeSignalRows() {
    if (frame == null) {
      return List.of();
    }
    Map<ProcessKey, ProcessNode> nodes = nodes();
    List<SignalRow> rows = new ArrayList<>();
    for (SignalFlow f : frame.graph().signals()) {
      String from = f.from().pid() == 0 ? "[kernel]" : label(nodes, f.from());
      String to = label(nodes, f.to());
      if (!matches(from, to, f.name())) {
        continue;
      }
      SignalRates.Rate r = signalRates.get(f.key());
      long ago = Math.max(0, frame.atNanos() - f.lastNanos());
      boolean fresh = !r.presentAtStart && frame.atNanos() - r.firstSeenNanos < FRESH_NANOS;
      rows.add(new SignalRow(f.key(), from, to, f.name(), r.sentPerSec, f.sent(), f.delivered(),
          f.latencyMeanNanos(), f.latencyMaxNanos(), outcome(f), ago, fresh, ago >= FADE_NANOS));
    }
    // Signals carry no bytes: the byte keys sort by what they can, sends.
    Comparator<SignalRow> primary = switch (sort) {
      case BYTES_RATE, MESSAGE_RATE -> Comparator.comparingDouble(SignalRow::sentPerSec);
      case TOTAL_BYTES -> Comparator.comparingLong(SignalRow::sent);
      case LATENCY -> Comparator.comparingLong(SignalRow::latencyMeanNanos);
      case LAST_SEEN -> Comparator.comparingLong((SignalRow s) -> -s.lastAgoNanos());
    };
    rows.sort(primary.reversed().thenComparing(Comparator.comparingLong(SignalRow::sent).reversed())
        .thenComparing(SignalRow::from).thenComparing(SignalRow::to).thenComparingInt(s -> s.key().signal()));
    return List.copyOf(rows);
  }

  /** The sends that did not simply join the target's queue, by what the kernel did with them. */
  private static String outcome(SignalFlow f) {
    StringJoiner out = new StringJoiner(", ");
    outcome(out, f.blocked(), "blocked");
    outcome(out, f.ignored(), "ignored");
    outcome(out, f.merged(), "merged");
    outcome(out, f.failed(), "failed");
    return out.toString();
  }

  private static void outcome(StringJoiner out, long count, String what) {
    if (count > 0) {
      out.add(count + " " + what);
    }
  }

  private Map<ProcessKey, ProcessNode> nodes() {
    Map<ProcessKey, ProcessNode> byKey = new HashMap<>();
    frame.graph().nodes().forEach(n -> byKey.put(n.key(), n));
    return byKey;
  }

  private static String label(Map<ProcessKey, ProcessNode> nodes, ProcessKey key) {
    ProcessNode n = nodes.get(key);
    if (n != null) {
      return n.label();
    }
    return key.pid() == 0 ? "(not observed)" : "?[" + key.pid() + "]";
  }

  private static String channelName(Edge e) {
    if (e.path() != null && !e.path().isEmpty()) {
      return e.path();
    }
    return e.key().channel() == null ? "" : e.key().channel().display();
  }

  /** Case-insensitive substring of any field; labels carry the pid, so "12" finds cat[12]. */
  private boolean matches(String... fields) {
    if (filter.isEmpty()) {
      return true;
    }
    String f = filter.toLowerCase(Locale.ROOT);
    for (String field : fields) {
      if (field.toLowerCase(Locale.ROOT).contains(f)) {
        return true;
      }
    }
    return false;
  }

  public void cycleSort() {
    sort = sort.next();
    changed();
  }

  public void setSort(SortKey sort) {
    this.sort = sort;
    changed();
  }

  /**
   * The rows depend only on the frame, the sort and the filter; a redraw asks for them several times, and the
   * dashboard redraws on every key too, so each list is built once per change.
   */
  private long version;
  private long talkVersion = -1;
  private long channelVersion = -1;
  private long processVersion = -1;
  private List<TalkRow> talk = List.of();
  private List<ChannelRow> channels = List.of();
  private List<ProcessRow> processes = List.of();
  private long signalVersion = -1;
  private List<SignalRow> signals = List.of();

  private void changed() {
    version++;
  }

  public List<TalkRow> talkRows() {
    if (talkVersion != version) {
      talk = computeTalkRows();
      talkVersion = version;
    }
    return talk;
  }

  public List<ChannelRow> channelRows() {
    if (channelVersion != version) {
      channels = computeChannelRows();
      channelVersion = version;
    }
    return channels;
  }

  public List<ProcessRow> processRows() {
    if (processVersion != version) {
      processes = computeProcessRows();
      processVersion = version;
    }
    return processes;
  }

  public List<SignalRow> signalRows() {
    if (signalVersion != version) {
      signals = computeSignalRows();
      signalVersion = version;
    }
    return signals;
  }

  public SortKey sort() {
    return sort;
  }

  public void setFilter(String filter) {
    this.filter = filter == null ? "" : filter.trim();
    scroll = 0;
    changed();
  }

  /**
   * Scrolls the current view by {@code delta} rows, keeping a full page on screen when there are enough rows:
   * {@code page} is how many rows the screen shows.
   */
  public void scrollBy(int delta, int page) {
    int max = Math.max(0, rows().size() - Math.max(1, page));
    scroll = (int) Math.max(0, Math.min(max, (long) scroll + delta));
  }

  /** The first row shown, as last scrolled (the renderer keeps it within the rows there are now). */
  public int scroll() {
    return scroll;
  }

  public String filter() {
    return filter;
  }

  public void togglePause() {
    paused = !paused;
  }

  public boolean paused() {
    return paused;
  }

  public void nextView() {
    View[] all = View.values();
    view = all[(view.ordinal() + 1) % all.length];
    scroll = 0;
  }

  /** Jumps to a view (the number keys). */
  public void showView(View v) {
    if (v != view) {
      view = v;
      scroll = 0;
    }
  }

  public View view() {
    return view;
  }

  public void toggleHelp() {
    help = !help;
  }

  public boolean help() {
    return help;
  }

  /** Starts typing a filter, from the one in force. */
  public void startFilterEdit() {
    filterDraft = new StringBuilder(filter);
  }

  /** The filter being typed, or empty when not typing. */
  public Optional<String> filterDraft() {
    return Optional.ofNullable(filterDraft).map(StringBuilder::toString);
  }

  public void typeFilter(char c) {
    if (filterDraft != null) {
      filterDraft.append(c);
    }
  }

  public void backspaceFilter() {
    if (filterDraft != null && filterDraft.length() > 0) {
      filterDraft.setLength(filterDraft.length() - 1);
    }
  }

  public void applyFilter() {
    if (filterDraft != null) {
      setFilter(filterDraft.toString());
      filterDraft = null;
    }
  }

  public void cancelFilter() {
    filterDraft = null;
  }

  /** Events the collector handled per second between the last two frames. */
  public double eventsPerSec() {
    return eventsPerSec;
  }

  /** Records lost since the collector started (ring buffer full). */
  public long lost() {
    return frame == null ? 0 : frame.health().lost();
  }

  /** The last frame taken, if any. */
  public Optional<TopFrame> frame() {
    return Optional.ofNullable(frame);
  }
}

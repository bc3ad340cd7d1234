package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.probes.event.Mechanism;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private Map<EdgeKey, EdgeHistory> histories = new HashMap<>();
  private final EventLog events = new EventLog();
  private final SignalRates signalRates = new SignalRates();
  private TopFrame frame;
  private MechanismFamily family = MechanismFamily.ALL;
  /** The selected row of the current view (its index in rows()), and its identity so it follows its row. */
  private int selected;
  private Object selectedId;
  /**
   * Off (the default, as in htop): the cursor keeps its place and rows move under it, so the busiest stay at the top.
   * On ({@code f}): the cursor follows its row wherever the sort takes it.
   */
  private boolean followRow;
  /** The Events view follows the newest operation while its top row is selected, like tail -f. */
  private boolean followNewest = true;
  /** What the detail pane shows (an edge, process or channel key), or null when it is closed. */
  private Object detailOf;
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

  private final ZoneId zone;

  /** A model that shows times of day in this machine's time zone. */
  public TopModel() {
    this(ZoneId.systemDefault());
  }

  /** A model that shows times of day in {@code zone}. */
  public TopModel(ZoneId zone) {
    this.zone = zone;
  }

  /** Takes a new frame, unless paused: rates are the counters' change since the previous frame over its time. */
  public void update(TopFrame next) {
    if (paused) {
      events.resync(); // what passes while paused is not shown, and not "missed" either
      return;
    }
    if (frame != null && next.timeline() != frame.timeline()) {
      // The source jumped (a replay seeked): its counters, clock and operation numbers do not follow on from the last
      // frame, so rates, sparklines and the operations start over, from the baseline the source sends along when it
      // has one.
      frame = null;
      histories.clear();
      signalRates.clear();
      events.clear();
      if (next.baseline() != null) {
        update(next.baseline());
      }
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
    // Edges the collector evicted are forgotten here too (the new map replaces the old: no copy of every edge).
    histories = seen;
    signalRates.update(next.graph().signals(), next.atNanos(), seconds);
    events.add(next.recent());
    events.retain(seen.keySet(), next.graph().nodes().stream().map(ProcessNode::key).collect(Collectors.toSet()));
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
      case EVENTS -> List.<TopRow>copyOf(eventRows());
      case MAP -> List.<TopRow>copyOf(talkMatrix().nodes());
      case SIGNALS -> List.<TopRow>copyOf(signalRows());
    };
  }

  private List<TalkRow> computeTalkRows() {
    if (frame == null) {
      return List.of();
    }
    Map<ProcessKey, ProcessNode> nodes = nodes();
    RowFilter shown = rowFilter();
    List<TalkRow> rows = new ArrayList<>();
    for (Edge e : frame.graph().edges()) {
      EdgeHistory h = histories.get(e.key());
      String from = Labels.of(nodes, e.key().from());
      String to = Labels.of(nodes, e.key().to());
      String channel = channelName(e);
      if (!shown.includes(e.mechanism()) || !shown.matches(from, to, e.mechanism().id(), channel,
          e.key().channel() == null ? "" : e.key().channel().display())) {
        continue;
      }
      long ago = Math.max(0, frame.atNanos() - e.lastNanos());
      boolean fresh = !h.presentAtStart && frame.atNanos() - h.firstSeenNanos < FRESH_NANOS;
      rows.add(new TalkRow(e.key(), from, to, e.mechanism(), channel, h.messagesPerSec, h.bytesPerSec, e.messages(),
          e.bytes(), e.latencyMeanNanos(), h.samples(), ago, fresh, ago >= FADE_NANOS, e.maxBacklogBytes()));
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

  // ---- selection: a cursor row per view, kept on its row as rows move ----

  /** The index in {@link #rows()} of the selected row (0 when there are none). */
  public int selected() {
    List<TopRow> rows = rows();
    if (rows.isEmpty()) {
      return 0;
    }
    if (view == View.EVENTS && followNewest) {
      selected = 0;
    } else if (followRow && selectedId != null) {
      int i = indexOf(rows, selectedId);
      if (i >= 0) {
        selected = i;
      }
    }
    selected = Math.max(0, Math.min(selected, rows.size() - 1));
    selectedId = rows.get(selected).id();
    return selected;
  }

  private static int indexOf(List<TopRow> rows, Object id) {
    for (int i = 0; i < rows.size(); i++) {
      if (id.equals(rows.get(i).id())) {
        return i;
      }
    }
    return -1;
  }

  /** The first row to draw on a screen that shows {@code page} rows: the selected row is always among them. */
  public int firstShown(int page) {
    if (view == View.MAP) {
      return scroll; // no cursor to keep on screen: the window is where the keys put it
    }
    int sel = selected();
    int n = rows().size();
    int p = Math.max(1, page);
    if (sel < scroll) {
      scroll = sel;
    } else if (sel >= scroll + p) {
      scroll = sel - p + 1;
    }
    scroll = Math.max(0, Math.min(scroll, Math.max(0, n - p)));
    return scroll;
  }

  /** {@code f}: the cursor follows the selected row, or keeps its place again. */
  public void toggleFollow() {
    followRow = !followRow;
    selected();
  }

  public boolean following() {
    return followRow;
  }

  private void resetSelection() {
    selected = 0;
    selectedId = null;
    followNewest = true;
    scroll = 0;
  }

  // ---- detail pane ----

  /** Opens the detail pane on the selected row: its edge, process or channel. */
  public void openDetail() {
    List<TopRow> rows = rows();
    if (rows.isEmpty()) {
      return;
    }
    TopRow row = rows.get(selected());
    if (row instanceof TalkRow t) {
      detailOf = t.key();
    } else if (row instanceof ChannelRow c) {
      detailOf = c.key();
    } else if (row instanceof ProcessRow p) {
      detailOf = p.key();
    } else if (row instanceof EventRow e) {
      detailOf = eventTarget(e.event());
    } else if (row instanceof TalkMatrix.Node n) {
      detailOf = n.key();
    } else if (row instanceof SignalRow r) {
      // the sender-to-target signal edge, when deliveries made one; else the target, which received them
      EdgeKey edge = new EdgeKey(r.key().from(), r.key().to(), Mechanism.SIGNAL, null);
      detailOf = histories.containsKey(edge) ? edge : r.key().to();
    }
    changed();
  }

  /** An operation's edge when the graph has it, else its process. */
  private Object eventTarget(RecentEvent e) {
    for (Edge edge : frame.graph().edges()) {
      if (e.on(edge.key()) && (e.role() != io.ipcscope.collector.flow.Role.NONE || !edge.directed())) {
        return edge.key();
      }
    }
    return e.actor();
  }

  public void closeDetail() {
    detailOf = null;
  }

  public boolean detailOpen() {
    return detailOf != null;
  }

  private long detailVersion = -1;
  private Detail detail;

  /** The detail pane's content, when it is open. */
  public Optional<Detail> detail() {
    if (detailOf == null || frame == null) {
      return Optional.empty();
    }
    if (detailVersion != version) {
      Map<ProcessKey, ProcessNode> nodes = nodes();
      EventRows rows = eventRowsOf();
      detail = new DetailBuilder(frame, histories, events, nodes, rows::row, rows::clock).of(detailOf);
      detailVersion = version;
    }
    return Optional.of(detail);
  }

  // ---- mechanism families (m) ----

  public void nextFamily() {
    family = family.next();
    resetSelection();
    changed();
  }

  MechanismFamily family() {
    return family;
  }

  /** How many of the processes talking are JVMs. */
  public int jvms() {
    return frame == null ? 0 : (int) frame.graph().nodes().stream().filter(ProcessNode::jvm).count();
  }

  /** Operations handed to the dashboard since it started, and those the source could not hand on. */
  public long eventsSeen() {
    return events.seen();
  }

  public long eventsMissed() {
    return events.missed();
  }

  private Map<ProcessKey, ProcessNode> nodes() {
    Map<ProcessKey, ProcessNode> byKey = new HashMap<>();
    frame.graph().nodes().forEach(n -> byKey.put(n.key(), n));
    return byKey;
  }


  private static String channelName(Edge e) {
    if (e.path() != null && !e.path().isEmpty()) {
      return e.path();
    }
    return e.key().channel() == null ? "" : e.key().channel().display();
  }

  private RowFilter rowFilter() {
    return new RowFilter(filter, family);
  }

  /** Event rows as this model shows them: peers named from the frame, times of day in its zone. */
  private EventRows eventRowsOf() {
    return new EventRows(nodes(), zone, frame.epochOffsetNanos());
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
  private long eventVersion = -1;
  private List<EventRow> eventList = List.of();
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
      channels = frame == null ? List.of() : ChannelRows.of(frame.graph(), histories, rowFilter(), sort);
      channelVersion = version;
    }
    return channels;
  }

  public List<ProcessRow> processRows() {
    if (processVersion != version) {
      processes = frame == null ? List.of() : ProcessRows.of(frame.graph(), histories, rowFilter(), sort);
      processVersion = version;
    }
    return processes;
  }

  public List<EventRow> eventRows() {
    if (eventVersion != version) {
      eventList = frame == null ? List.of() : eventRowsOf().of(events, rowFilter());
      eventVersion = version;
    }
    return eventList;
  }

  /** The Map view's matrix: the Talk view's edges (same filter), its processes one row and column each. */
  TalkMatrix talkMatrix() {
    if (matrixVersion != version) {
      if (frame == null) {
        matrix = TalkMatrix.EMPTY;
      } else {
        Set<EdgeKey> undirected = frame.graph().edges().stream().filter(e -> !e.directed()).map(Edge::key)
            .collect(Collectors.toSet());
        Map<ProcessKey, ProcessNode> nodes = nodes();
        matrix = TalkMatrix.of(talkRows(), undirected, k -> nodes.containsKey(k) ? nodes.get(k).comm() : "");
      }
      matrixVersion = version;
    }
    return matrix;
  }

  private long matrixVersion = -1;
  private TalkMatrix matrix = TalkMatrix.EMPTY;

  public List<SignalRow> signalRows() {
    if (signalVersion != version) {
      signals = frame == null ? List.of()
          : SignalRows.of(frame, nodes(), signalRates, rowFilter(), sort, FRESH_NANOS, FADE_NANOS);
      signalVersion = version;
    }
    return signals;
  }

  public SortKey sort() {
    return sort;
  }

  public void setFilter(String filter) {
    this.filter = filter == null ? "" : filter.trim();
    resetSelection();
    changed();
  }

  /**
   * Moves the selection by {@code delta} rows in the current view (the table scrolls to keep it on screen);
   * {@code page} is how many rows the screen shows.
   */
  public void scrollBy(int delta, int page) {
    List<TopRow> rows = rows();
    if (rows.isEmpty()) {
      return;
    }
    if (view == View.MAP) {
      // The map has no cursor: the keys move its window over the processes.
      int max = Math.max(0, rows.size() - Math.max(1, page));
      scroll = (int) Math.max(0, Math.min(max, (long) scroll + delta));
      return;
    }
    int now = selected();
    selected = (int) Math.max(0, Math.min(rows.size() - 1L, (long) now + delta));
    selectedId = rows.get(selected).id();
    followNewest = selected == 0;
    firstShown(page);
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
    resetSelection();
  }

  /** Jumps to a view (the number keys). */
  public void showView(View v) {
    if (v != view) {
      view = v;
      resetSelection();
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

  public void clearFilterDraft() {
    if (filterDraft != null) {
      filterDraft.setLength(0);
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

  /** Where a replay is, set by the loop from the source before each redraw; null for a live source. */
  private Playback.Status playback;

  /** True when it differs from the last one set: the header needs drawing again. */
  public boolean setPlayback(Playback.Status status) {
    boolean changed = !status.equals(playback);
    playback = status;
    return changed;
  }

  /** The replay's position, speed and pause for the header; empty for a live source. */
  public Optional<Playback.Status> playback() {
    return Optional.ofNullable(playback);
  }

  /** The last frame taken, if any. */
  public Optional<TopFrame> frame() {
    return Optional.ofNullable(frame);
  }
}

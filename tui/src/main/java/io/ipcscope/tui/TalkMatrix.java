package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * The talk graph as an adjacency matrix with no terminal: processes in a reading order, and per ordered pair the
 * mechanisms between them with how busy each is. Row sends to column; an undirected edge (shared memory, semaphores,
 * locks) fills both cells of its pair.
 *
 * <p>The order makes structure show as blocks instead of dots scattered over the matrix. Processes of one command
 * that talk among themselves (a postgres and its backends, nginx's master and workers) form one service and stay
 * together, as an SRE thinks of them: the diagonal blocks are what a service does within itself, the others which
 * tier talks to which. Processes of one command that only talk to others (fifty tmux clients of one server) are not a
 * service: a block of them would fill the screen with rows that share nothing, so each is placed by its own ties and
 * ends up next to its hub. Services and, within one, processes are each put in the same greedy order: the busiest
 * first, then repeatedly the one with the strongest tie to those already placed (Prim's maximum spanning tree), and
 * when nothing left is tied to them the busiest of the rest. So the two ends of a pipe sit side by side even when
 * every process is {@code java}, and a hub that everyone signalled once (a parent collecting SIGCHLD) does not pull
 * its weak ties ahead of the strong pairs. Busiest goes by decades of rate, then totals (see {@link Tally}), so the
 * order holds still while the traffic does.
 */
final class TalkMatrix {

  static final TalkMatrix EMPTY = new TalkMatrix(List.of(), List.of(), EnumSet.noneOf(Mechanism.class));

  /** Shades from idle to busiest; each step is ten times the rate of the one before. */
  static final String SHADES = "·░▒▓█";

  /** A process as the Map lists it: one row and one column. */
  record Node(ProcessKey key, String label) implements TopRow {}

  /**
   * What one ordered pair of processes exchanges.
   *
   * @param levels per mechanism, its busiest edge as an index into {@link #SHADES}
   * @param faded every edge of the pair has been idle for {@link TopModel#FADE_NANOS}
   */
  record Cell(Map<Mechanism, Integer> levels, boolean faded) {

    Cell {
      levels = Map.copyOf(levels);
    }

    /** Busiest first; equally busy ones in the order of {@link Mechanism}, so the first is stable. */
    List<Mechanism> mechanisms() {
      return levels.keySet().stream()
          .sorted(Comparator.comparingInt((Mechanism m) -> -levels.get(m)).thenComparing(Comparator.naturalOrder()))
          .toList();
    }

    int level() {
      return levels.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Both cells' mechanisms, each at its busier level: several hidden processes merged into one. */
    Cell merge(Cell other) {
      if (other == null) {
        return this;
      }
      Map<Mechanism, Integer> both = new EnumMap<>(Mechanism.class);
      both.putAll(levels);
      other.levels.forEach((m, l) -> both.merge(m, l, Math::max));
      return new Cell(both, faded && other.faded);
    }
  }

  private final List<Node> nodes;
  /** Per row, the cells that are not empty, by column. */
  private final List<Map<Integer, Cell>> rows;
  private final Set<Mechanism> mechanisms;

  private TalkMatrix(List<Node> nodes, List<Map<Integer, Cell>> rows, Set<Mechanism> mechanisms) {
    this.nodes = nodes;
    this.rows = rows;
    this.mechanisms = mechanisms;
  }

  /**
   * The matrix of the Talk view's rows (already filtered).
   *
   * @param undirected the keys of the edges that join their ends both ways
   * @param command a process's command (comm): processes of one command that talk among themselves are a service
   */
  static TalkMatrix of(List<TalkRow> edges, Set<EdgeKey> undirected, Function<ProcessKey, String> command) {
    if (edges.isEmpty()) {
      return EMPTY;
    }
    // Edges that move bytes are compared by bytes/s, the others (signals, locks, shared memory) by messages/s, each
    // against the busiest of its kind: neither unit says anything about the other.
    double maxBytes = 0;
    double maxMessages = 0;
    for (TalkRow r : edges) {
      if (r.bytes() > 0) {
        maxBytes = Math.max(maxBytes, r.bytesPerSec());
      } else {
        maxMessages = Math.max(maxMessages, r.messagesPerSec());
      }
    }
    Map<ProcessKey, ProcessKey> service = services(edges, command);
    Map<ProcessKey, Tally> byProcess = new HashMap<>();
    Map<ProcessKey, Map<ProcessKey, Tally>> ties = new HashMap<>();
    Map<ProcessKey, Tally> byService = new HashMap<>();
    Map<ProcessKey, Map<ProcessKey, Tally>> serviceTies = new HashMap<>();
    for (TalkRow r : edges) {
      ProcessKey from = r.key().from();
      ProcessKey to = r.key().to();
      ProcessKey fromService = service.get(from);
      ProcessKey toService = service.get(to);
      byProcess.computeIfAbsent(from, k -> new Tally(k, r.from())).add(r);
      byService.computeIfAbsent(fromService, k -> new Tally(k, "")).add(r);
      if (!from.equals(to)) {
        byProcess.computeIfAbsent(to, k -> new Tally(k, r.to())).add(r);
        tie(ties, from, to, r);
      }
      if (!fromService.equals(toService)) {
        byService.computeIfAbsent(toService, k -> new Tally(k, "")).add(r);
        tie(serviceTies, fromService, toService, r);
      }
    }
    Map<ProcessKey, List<Tally>> members = new HashMap<>();
    byProcess.values().forEach(t -> members.computeIfAbsent(service.get(t.key), k -> new ArrayList<>()).add(t));
    List<Tally> order = new ArrayList<>(byProcess.size());
    for (Tally s : order(byService.values(), serviceTies)) {
      order.addAll(order(members.get(s.key), ties));
    }
    Map<ProcessKey, Integer> index = new HashMap<>();
    List<Node> nodes = new ArrayList<>(order.size());
    for (Tally t : order) {
      index.put(t.key, nodes.size());
      nodes.add(new Node(t.key, t.label));
    }
    List<Map<Integer, Cell>> rows = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      rows.add(new HashMap<>());
    }
    Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
    for (TalkRow r : edges) {
      int level = r.bytes() > 0 ? level(r.bytesPerSec(), maxBytes) : level(r.messagesPerSec(), maxMessages);
      Cell cell = new Cell(Map.of(r.mechanism(), level), r.faded());
      int from = index.get(r.key().from());
      int to = index.get(r.key().to());
      rows.get(from).merge(to, cell, Cell::merge);
      if (undirected.contains(r.key()) && from != to) {
        rows.get(to).merge(from, cell, Cell::merge);
      }
      mechanisms.add(r.mechanism());
    }
    return new TalkMatrix(List.copyOf(nodes), rows, mechanisms);
  }

  /** 0 idle, then 1 to 4 by decades below the busiest: 4 within a tenth of it, 3 within a hundredth... */
  static int level(double rate, double max) {
    if (rate <= 0 || max <= 0) {
      return 0;
    }
    double ratio = rate / max;
    return ratio >= 0.1 ? 4 : ratio >= 0.01 ? 3 : ratio >= 0.001 ? 2 : 1;
  }

  /**
   * Each process's service, named by its lowest process: processes of one command joined by edges among themselves
   * (union-find over those edges).
   */
  private static Map<ProcessKey, ProcessKey> services(List<TalkRow> edges, Function<ProcessKey, String> command) {
    Map<ProcessKey, ProcessKey> parent = new HashMap<>();
    for (TalkRow r : edges) {
      ProcessKey a = root(parent, r.key().from());
      ProcessKey b = root(parent, r.key().to());
      if (!a.equals(b) && command.apply(a).equals(command.apply(b))) {
        boolean aFirst = PID_ORDER.compare(a, b) < 0;
        parent.put(aFirst ? b : a, aFirst ? a : b);
      }
    }
    Map<ProcessKey, ProcessKey> service = new HashMap<>();
    for (ProcessKey p : new ArrayList<>(parent.keySet())) {
      service.put(p, root(parent, p));
    }
    return service;
  }

  private static ProcessKey root(Map<ProcessKey, ProcessKey> parent, ProcessKey p) {
    ProcessKey up = parent.computeIfAbsent(p, k -> k);
    if (up.equals(p)) {
      return p;
    }
    ProcessKey root = root(parent, up);
    parent.put(p, root);
    return root;
  }

  private static final Comparator<ProcessKey> PID_ORDER =
      Comparator.comparingInt(ProcessKey::pid).thenComparingLong(ProcessKey::startTicks);

  /** Records the activity of one edge as a tie between {@code a} and {@code b}, both ways. */
  private static void tie(Map<ProcessKey, Map<ProcessKey, Tally>> ties, ProcessKey a, ProcessKey b, TalkRow r) {
    ties.computeIfAbsent(a, k -> new HashMap<>()).computeIfAbsent(b, k -> new Tally(k, "")).add(r);
    ties.computeIfAbsent(b, k -> new HashMap<>()).computeIfAbsent(a, k -> new Tally(k, "")).add(r);
  }

  /**
   * The greedy order described above, of services or of processes; {@code ties} may name keys that are not in
   * {@code all} (other services' processes), which are passed over.
   */
  private static List<Tally> order(java.util.Collection<Tally> all, Map<ProcessKey, Map<ProcessKey, Tally>> ties) {
    List<Tally> busiestFirst = new ArrayList<>(all);
    busiestFirst.sort(Tally.BUSIEST_FIRST);
    Map<ProcessKey, Integer> rank = new HashMap<>();
    for (int i = 0; i < busiestFirst.size(); i++) {
      rank.put(busiestFirst.get(i).key, i);
    }
    // A candidate is a key and its tie to one placed key; a key may be queued several times, and only its strongest
    // tie counts because that one comes out first.
    record Candidate(Tally tie, int rank) {}
    PriorityQueue<Candidate> queue = new PriorityQueue<>(
        Comparator.comparing(Candidate::tie, Tally.STRONGEST).thenComparingInt(Candidate::rank));
    Set<ProcessKey> placed = new HashSet<>();
    List<Tally> order = new ArrayList<>(busiestFirst.size());
    int nextSeed = 0;
    while (order.size() < busiestFirst.size()) {
      Tally next = null;
      while (!queue.isEmpty() && next == null) {
        Tally tie = queue.poll().tie();
        if (!placed.contains(tie.key)) {
          next = busiestFirst.get(rank.get(tie.key));
        }
      }
      while (next == null) {
        Tally seed = busiestFirst.get(nextSeed++);
        if (!placed.contains(seed.key)) {
          next = seed;
        }
      }
      placed.add(next.key);
      order.add(next);
      for (Tally tie : ties.getOrDefault(next.key, Map.of()).values()) {
        if (!placed.contains(tie.key) && rank.containsKey(tie.key)) {
          queue.add(new Candidate(tie, rank.get(tie.key)));
        }
      }
    }
    return order;
  }

  /** The processes, in the order rows and columns show them. */
  List<Node> nodes() {
    return nodes;
  }

  /** What row {@code from} sends to column {@code to}, or null when nothing. */
  Cell cell(int from, int to) {
    return rows.get(from).get(to);
  }

  /** The non-empty cells of one row, by column. */
  Map<Integer, Cell> row(int from) {
    return rows.get(from);
  }

  /** Every mechanism in the matrix, in the order of {@link Mechanism}. */
  Set<Mechanism> mechanisms() {
    return mechanisms;
  }

  /**
   * Activity summed over edges, of one process, one service, or one pair of them.
   *
   * <p>Busier means a higher decade of bytes/s, then of messages/s (edges that move no bytes), then of bytes and of
   * messages in all; among equals the pid decides, which also keeps processes started together close. A map whose
   * rows move every second cannot be read, so the rates are each edge's mean over its history (the Talk view's
   * sparkline) and only their decades count: a rate that jitters by a few percent from one frame to the next, or two
   * pairs started together at the same rate (the demo's), do not swap places. Rates of different units are never
   * added.
   */
  private static final class Tally {

    static final Comparator<Tally> STRONGEST = Comparator.comparingInt((Tally t) -> decade(t.bytesPerSec))
        .thenComparingInt(t -> decade(t.messagesPerSec)).thenComparingInt(t -> decade(t.bytes))
        .thenComparingInt(t -> decade(t.messages)).reversed();
    /** Ties broken by pid (a service's lowest), so the order does not change between frames. */
    static final Comparator<Tally> BUSIEST_FIRST = STRONGEST.thenComparing(t -> t.key, PID_ORDER);

    /** 0 for 1 to 9.9 (a second, or in all), 1 for 10 to 99..., below every other when 0. */
    static int decade(double perSecond) {
      return perSecond <= 0 ? Integer.MIN_VALUE : (int) Math.floor(Math.log10(perSecond));
    }

    /** The process, the service's lowest process, or the other end of a tie. */
    final ProcessKey key;
    final String label;
    double bytesPerSec;
    double messagesPerSec;
    long bytes;
    long messages;

    Tally(ProcessKey key, String label) {
      this.key = key;
      this.label = label;
    }

    Tally add(TalkRow r) {
      // The history is in bytes/s for edges that move bytes, in messages/s for the others.
      double mean = r.history().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      if (r.bytes() > 0) {
        bytesPerSec += mean;
      } else {
        messagesPerSec += mean;
      }
      bytes += r.bytes();
      messages += r.messages();
      return this;
    }
  }
}

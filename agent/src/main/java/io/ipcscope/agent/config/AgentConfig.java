package io.ipcscope.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent's options, from three places, strongest first: the agent's argument
 * ({@code -javaagent:ipcscope-agent.jar=mechanisms=process+socket,granularity=stream}), system properties
 * ({@code -Dipcscope.agent.mechanisms=process+socket}) and environment variables
 * ({@code IPCSCOPE_AGENT_MECHANISMS=process+socket}). A list separates its items with {@code +}.
 *
 * <p>A bad option never stops the application: it is reported in {@link #problems()} (the agent prints them as
 * one line each) and its default is used.
 */
public final class AgentConfig {

  public static final String DEFAULT_SOCKET = "/run/ipcscope/agent.sock";
  static final int DEFAULT_QUEUE = 16_384;
  static final long DEFAULT_STREAM_IDLE_MILLIS = 1_000;
  /** {@code cache=auto}: the user's cache directory. */
  public static final String CACHE_AUTO = "auto";
  /** {@code cache=off}: every class is instrumented by Byte Buddy at each start. */
  public static final String CACHE_OFF = "off";

  /** {@code detail=all}: every operation goes out by itself, none is folded into a summary. */
  public static final int DETAIL_ALL = Integer.MAX_VALUE;
  static final int DEFAULT_DETAIL = 100;

  private static final List<String> KEYS = List.of("enabled", "mechanisms", "granularity", "export", "socket",
      "queue", "stream.idle.ms", "detail", "cache", "debug");

  private final boolean enabled;
  private final Set<Feature> features;
  private final Granularity granularity;
  private final ExportMode export;
  private final String socket;
  private final int queueCapacity;
  private final long streamIdleMillis;
  private final int detail;
  private final String cache;
  private final boolean debug;
  private final List<String> problems;

  private final Map<String, String> sources;

  private AgentConfig(Map<String, String> values, Map<String, String> sources, List<String> problems) {
    this.problems = problems;
    this.sources = sources;
    this.enabled = parse(values, "enabled", true, AgentConfig::parseBoolean);
    this.features = parse(values, "mechanisms", EnumSet.allOf(Feature.class), AgentConfig::parseFeatures);
    this.granularity = parse(values, "granularity", Granularity.OP, v -> parseEnum(Granularity.class, v));
    this.export = parse(values, "export", ExportMode.AUTO, v -> parseEnum(ExportMode.class, v));
    this.socket = parse(values, "socket", DEFAULT_SOCKET, v -> v);
    this.queueCapacity = parse(values, "queue", DEFAULT_QUEUE, AgentConfig::positive);
    this.streamIdleMillis = parse(values, "stream.idle.ms", DEFAULT_STREAM_IDLE_MILLIS, v -> (long) positive(v));
    this.detail = parse(values, "detail", DEFAULT_DETAIL, AgentConfig::parseDetail);
    this.cache = parse(values, "cache", CACHE_AUTO, AgentConfig::parseCache);
    this.debug = parse(values, "debug", false, AgentConfig::parseBoolean);
  }

  /** Reads the three sources; {@code agentArgs} may be null (no argument after the jar). */
  public static AgentConfig load(String agentArgs, Map<?, ?> systemProperties, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (String key : KEYS) {
      String variable = "IPCSCOPE_AGENT_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
      String env = environment.get(variable);
      if (env != null) {
        values.put(key, env);
        sources.put(key, variable);
      }
      Object property = systemProperties.get("ipcscope.agent." + key);
      if (property != null) {
        values.put(key, property.toString());
        sources.put(key, "-Dipcscope.agent." + key);
      }
    }
    if (agentArgs != null && !agentArgs.isBlank()) {
      for (String pair : agentArgs.split(",")) {
        if (pair.isBlank()) {
          continue; // a trailing or doubled comma
        }
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        if (!KEYS.contains(key)) {
          problems.add("unknown option '" + key + "' ignored (options: " + String.join(", ", KEYS) + ")");
          continue;
        }
        values.put(key, eq < 0 ? "true" : pair.substring(eq + 1).trim());
        sources.put(key, "the agent argument");
      }
    }
    return new AgentConfig(values, sources, problems);
  }

  public static AgentConfig defaults() {
    return load(null, Map.of(), Map.of());
  }

  private <T> T parse(Map<String, String> values, String key, T fallback, Function<String, T> parser) {
    String raw = values.get(key);
    if (raw == null) {
      return fallback;
    }
    try {
      return parser.apply(raw);
    } catch (RuntimeException e) {
      problems.add("option " + key + "=" + raw + " (from " + sources.get(key) + ") not understood: " + e.getMessage()
          + "; using " + describe(fallback));
      return fallback;
    }
  }

  private static String describe(Object value) {
    if (value instanceof Set) {
      List<String> names = new ArrayList<>();
      for (Object o : (Set<?>) value) {
        names.add(((Feature) o).optionName());
      }
      return String.join("+", names);
    }
    return value instanceof Enum ? ((Enum<?>) value).name().toLowerCase(Locale.ROOT) : String.valueOf(value);
  }

  private static boolean parseBoolean(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1": return true;
      case "false": case "no": case "off": case "0": return false;
      default: throw new IllegalArgumentException("expected true or false");
    }
  }

  private static Set<Feature> parseFeatures(String v) {
    Set<Feature> set = EnumSet.noneOf(Feature.class);
    for (String name : v.split("\\+")) {
      if (name.isBlank()) {
        continue;
      }
      set.add(parseEnum(Feature.class, name.trim()));
    }
    return Collections.unmodifiableSet(set);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("expected one of " + String.join(", ", names));
  }

  private static String parseCache(String v) {
    String value = v.trim();
    if (value.equalsIgnoreCase(CACHE_AUTO) || value.equalsIgnoreCase(CACHE_OFF)) {
      return value.toLowerCase(Locale.ROOT);
    }
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException("expected auto, off or an absolute directory");
    }
    return value;
  }

  private static int positive(String v) {
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a positive whole number");
    }
    if (n <= 0) {
      throw new IllegalArgumentException("expected a positive whole number");
    }
    return n;
  }

  /** A whole number, 0 or more, or {@code all}. */
  private static int parseDetail(String v) {
    if (v.trim().equalsIgnoreCase("all")) {
      return DETAIL_ALL;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("expected a whole number (0 or more) or all");
  }

  public boolean enabled() {
    return enabled;
  }

  public boolean has(Feature feature) {
    return features.contains(feature);
  }

  public Set<Feature> features() {
    return features;
  }

  public Granularity granularity() {
    return granularity;
  }

  public ExportMode export() {
    return export;
  }

  public String socket() {
    return socket;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public long streamIdleMillis() {
    return streamIdleMillis;
  }

  /**
   * Operations per stream (channel, thread, mechanism, operation) and second exported one by one; the rest of the
   * second is folded into one summary. {@link #DETAIL_ALL}: none is folded.
   */
  public int detail() {
    return detail;
  }

  /** {@link #CACHE_AUTO}, {@link #CACHE_OFF} or an absolute directory. */
  public String cache() {
    return cache;
  }

  public boolean debug() {
    return debug;
  }

  /** One line per option that was not understood, each saying what was used instead. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }
}

package io.ipcscope.collector.otel;

import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenTelemetry resource of each traced process: every process shows up in a backend as itself (its comm as
 * {@code service.name}), not as one "ipcscope" service. Cached per process identity and name; bounded.
 */
public final class ProcessResources {

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<Long> PROCESS_PARENT_PID = AttributeKey.longKey("process.parent_pid");
  static final AttributeKey<String> EXECUTABLE_NAME = AttributeKey.stringKey("process.executable.name");
  static final AttributeKey<String> EXECUTABLE_PATH = AttributeKey.stringKey("process.executable.path");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<Long> START_TICKS = AttributeKey.longKey("ipc.process.start_ticks");
  static final AttributeKey<String> COMMAND_LINE = AttributeKey.stringKey("process.command_line");
  static final AttributeKey<Long> REAL_USER_ID = AttributeKey.longKey("process.real_user.id");
  static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  static final AttributeKey<Boolean> JVM = AttributeKey.booleanKey("ipc.process.jvm");

  private static final int MAX_CACHED = 16_384;

  private record Identity(ProcessKey key, String comm) {}

  private final ProcessTable processes;
  private final Resource base;
  private final Map<Identity, Resource> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Identity, Resource> eldest) {
      return size() > MAX_CACHED;
    }
  };

  /** {@code base}: what every process on this host shares (host.name, and OTEL_RESOURCE_ATTRIBUTES). */
  public ProcessResources(ProcessTable processes, Resource base) {
    this.processes = processes;
    this.base = base;
  }

  public static Resource hostResource(String hostName, Attributes extra) {
    return Resource.create(Attributes.builder().put(HOST_NAME, hostName).putAll(extra).build());
  }

  /** The resource of the process {@code pid} that started at {@code startNanos} (boot time), named {@code comm}. */
  Resource of(int pid, long startNanos, String comm) {
    ProcessKey key = ProcessKey.fromKernel(pid, startNanos);
    return cache.computeIfAbsent(new Identity(key, comm), id -> build(id.key(), comm));
  }

  /**
   * The resource of the live process {@code pid} as the process table knows it (its start time and comm): the same
   * resource its kernel spans have. An unknown pid gets one with the pid alone.
   */
  Resource ofPid(int pid) {
    ProcessInfo info = processes.get(pid).orElse(null);
    return info == null ? of(pid, 0, "")
        : of(pid, info.key().startTicks() * ProcessKey.NANOS_PER_TICK, info.comm());
  }

  private Resource build(ProcessKey key, String comm) {
    AttributesBuilder attributes = Attributes.builder()
        .put(SERVICE_NAME, comm.isEmpty() ? "pid " + key.pid() : comm)
        .put(PROCESS_PID, key.pid())
        .put(START_TICKS, key.startTicks());
    if (!comm.isEmpty()) {
      attributes.put(EXECUTABLE_NAME, comm);
    }
    ProcessInfo info = processes.get(key.pid()).filter(p -> p.key().equals(key)).orElse(null);
    if (info != null) {
      if (info.parentPid() != 0) {
        attributes.put(PROCESS_PARENT_PID, info.parentPid());
      }
      if (!info.exe().isEmpty()) {
        attributes.put(EXECUTABLE_PATH, info.exe());
      }
      if (info.exe().endsWith("/java")) {
        attributes.put(JVM, true);
      }
      ProcessDetails details = processes.details(key.pid());
      if (!details.commandLine().isEmpty()) {
        attributes.put(COMMAND_LINE, details.commandLine());
      }
      if (details.uid() >= 0) {
        attributes.put(REAL_USER_ID, details.uid());
      }
      if (!details.containerId().isEmpty()) {
        attributes.put(CONTAINER_ID, details.containerId());
      }
    }
    return base.merge(Resource.create(attributes.build()));
  }
}

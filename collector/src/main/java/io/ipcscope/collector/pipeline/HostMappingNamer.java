package io.ipcscope.collector.pipeline;

import io.ipcscope.collector.model.MappingNamer;
import io.ipcscope.probes.event.IpcEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names mapped files by their full path: the record's path within its filesystem after that filesystem's mount point,
 * which the host knows. A memfd is {@code memfd:NAME}. Known mount points are kept, so the host is asked once per
 * filesystem (again while it answers "unknown": a filesystem may be mounted since).
 */
final class HostMappingNamer implements MappingNamer {

  private final HostView host;
  private final Map<Integer, String> mountPoints = new HashMap<>();

  HostMappingNamer(HostView host) {
    this.host = host;
  }

  @Override
  public String name(IpcEvent attach) {
    List<String> names = MappingNamer.names(attach);
    if (names.size() == 1 && names.get(0).startsWith("memfd:")) {
      return names.get(0);
    }
    String mountPoint = mountPoints.get(attach.channelDev());
    if (mountPoint == null) {
      mountPoint = host.mountPoint(attach.channelDev());
      if (!mountPoint.isEmpty()) {
        mountPoints.put(attach.channelDev(), mountPoint);
      }
    }
    String within = String.join("/", names);
    return mountPoint.equals("/") ? "/" + within : mountPoint + "/" + within;
  }
}

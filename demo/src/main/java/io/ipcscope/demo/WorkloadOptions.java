package io.ipcscope.demo;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every workload subcommand takes (a picocli mixin). */
public final class WorkloadOptions {

  @Option(names = "--messages", paramLabel = "N", defaultValue = "100",
      description = "Records to send (default: ${DEFAULT-VALUE}); ignored with --duration.")
  int messages;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
      description = "Payload bytes per record (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
      description = "Records per second; 0 = as fast as possible (default).")
  double rate;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Continuous mode: keep going this long (for a live dashboard); 0 = off (default).")
  double duration;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "Write the ground truth JSON here when the workload ends.")
  Path truth;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;

  /** Validated settings; an IllegalArgumentException names the bad option. */
  Settings settings() {
    return new Settings(messages, size, rate, duration, truth, quiet);
  }
}

package io.ipcscope.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  private static final String SNAPSHOT = """
      {"type":"snapshot","version":"0.1.0","host":"box","pid":77,"started_ns":1,"uptime_ms":3725000,"seq":9,
       "published_ns":2,"events_per_second":1234.4,
       "health":{"events":5000,"lost":7,"lost_per_cpu":[0,7,0],"spans_made":40,"spans_exported":38,"spans_failed":1,
        "spans_dropped":0,"span_queue":1,"processes":12,"channels":4,"edges":2,"evicted_edges":3,"evicted_processes":0,"evicted_channels":0,"causal_pending":0,
        "unobserved_bytes":0},
       "graph":{"nodes":[{"id":"0@0","pid":0,"comm":"","start_ticks":0},
                         {"id":"10@5","pid":10,"comm":"head","start_ticks":5},
                         {"id":"11@5","pid":11,"comm":"cat","start_ticks":5}],
        "edges":[{"from":"0@0","to":"11@5","mechanism":"signal","channel":null,"directed":true,"bytes":0,
                  "messages":2,"first_seen_ns":1,"last_seen_ns":2},
                 {"from":"10@5","to":"11@5","mechanism":"pipe","channel":"pipe:[99]","directed":true,"bytes":1000,
                  "messages":1,"first_seen_ns":1,"last_seen_ns":2}]}}
      """;

  @Test
  void theSummarySaysUptimeRatesLossSpansModelAndTheBiggestEdgesFirst() throws Exception {
    assertThat(StatusReport.render(new ObjectMapper().readTree(SNAPSHOT))).isEqualTo("""
        collector  0.1.0 on box, pid 77, up 1h 2m
        events     1234/s now, 5000 in all
        lost       7 (cpu1: 7)
        spans      40 made, 38 exported, 1 failed, 0 dropped, 1 queued
        model      12 processes, 4 channels, 2 edges (3 evicted), 0 events waiting for their cause

        top 2 of 2 edges by bytes
        FROM                TO       MECHANISM  CHANNEL    BYTES  OPS
        head[10]        ->  cat[11]  pipe       pipe:[99]   1000    1
        (not observed)  ->  cat[11]  signal     -              0    2
        """);
  }

  @Test
  void agentsGetALineOnceOneKnocked() throws Exception {
    String withAgents = SNAPSHOT.replace("\"unobserved_bytes\":0}", "\"unobserved_bytes\":0,\"agents\":{"
        + "\"connected\":2,\"welcomed\":3,\"rejected\":1,\"bad_lines\":4,\"ops\":120,\"bytes\":7680,"
        + "\"summaries\":2,\"ops_dropped\":5,\"joined\":100,\"unjoined\":7,\"held\":30,\"hold_timeouts\":2}}");
    assertThat(StatusReport.render(new ObjectMapper().readTree(withAgents))).contains(
        "model      12 processes, 4 channels, 2 edges (3 evicted), 0 events waiting for their cause\n"
        + "agents     2 connected (3 in all, 1 refused), 120 operations, 7680 bytes, 2 summaries: 100 joined, "
        + "7 unjoined, 5 dropped, 4 bad lines; 30 kernel events held (2 timed out)\n\ntop 2");
    String idle = SNAPSHOT.replace("\"unobserved_bytes\":0}", "\"unobserved_bytes\":0,\"agents\":{"
        + "\"connected\":0,\"welcomed\":0,\"rejected\":0,\"bad_lines\":0}}");
    assertThat(StatusReport.render(new ObjectMapper().readTree(idle))).doesNotContain("agents");
  }

  @Test
  void durationsReadLikeUptime() {
    assertThat(StatusReport.duration(12_000)).isEqualTo("12s");
    assertThat(StatusReport.duration(250_000)).isEqualTo("4m 10s");
    assertThat(StatusReport.duration(3 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("3d 4h");
  }
}

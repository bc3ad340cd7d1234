package io.ipcscope.probes.event;

import static io.ipcscope.probes.event.EventLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.bpf.Btf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every offset and size in {@link EventLayout} against the BTF of every compiled probe object: a change to ipcscope.h
 * that moves, resizes or adds a field fails here until the Java side follows. Needs libbpf.so.1, not root.
 */
class EventLayoutBtfTest {
  private static final Path MAIN_OBJECTS = Path.of("src/main/resources/io/ipcscope/probes/bpf");
  private static final Path TEST_OBJECT = Path.of("src/test/bpf/testprobe.bpf.o");

  /** name → {offset, size} of each field Java reads, plus the struct's size under "sizeof". */
  record Expected(String struct, Map<String, int[]> fields) {}

  private static Map<String, int[]> fields(Object... nameOffsetSize) {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < nameOffsetSize.length; i += 3) {
      m.put((String) nameOffsetSize[i], new int[] {(Integer) nameOffsetSize[i + 1], (Integer) nameOffsetSize[i + 2]});
    }
    return m;
  }

  static final List<Expected> EXPECTED = List.of(
      new Expected("ipc_event", fields(
          "sizeof", 0, EVENT_SIZE,
          "ts_ns", TS_NS, 8, "start_ns", START_NS, 8, "channel_id", CHANNEL_ID, 8, "bytes", BYTES, 8,
          "extra", EXTRA, 8, "pid", PID, 4, "tid", TID, 4, "peer_pid", PEER_PID, 4, "peer_tid", PEER_TID, 4,
          "channel_dev", CHANNEL_DEV, 4, "result", RESULT, 4, "fd", FD, 4, "aux", AUX, 4, "code", CODE, 4,
          "mechanism", MECHANISM, 2, "op", OP, 1, "status", STATUS, 1, "comm", COMM, COMM_LEN,
          "syscall_nr", SYSCALL_NR, 4)),
      new Expected("ipc_event_path", fields(
          "sizeof", 0, PATH_EVENT_SIZE, "event", PATH_EVENT, EVENT_SIZE, "path", PATH, PATH_LEN)),
      new Expected("ipcscope_config", fields(
          "sizeof", 0, CFG_SIZE, "tracer_tgid", CFG_TRACER_TGID, 4, "filter_tgid", CFG_FILTER_TGID, 4,
          "mechanism_mask", CFG_MECHANISM_MASK, 8, "aggregate", CFG_AGGREGATE, 4,
          "wakeup_bytes", CFG_WAKEUP_BYTES, 4, "filter_comm", CFG_FILTER_COMM, CFG_FILTER_COMM_LEN,
          "shm_dev", CFG_SHM_DEV, 4)),
      new Expected("agg_key", fields(
          "sizeof", 0, AGG_KEY_SIZE, "start_ns", AK_START_NS, 8, "channel_id", AK_CHANNEL_ID, 8,
          "pid", AK_PID, 4, "channel_dev", AK_CHANNEL_DEV, 4, "peer_pid", AK_PEER_PID, 4,
          "mechanism", AK_MECHANISM, 2, "op", AK_OP, 1, "aux", AK_AUX, 4)),
      new Expected("agg_value", fields(
          "sizeof", 0, AGG_VALUE_SIZE, "count", AV_COUNT, 8, "bytes", AV_BYTES, 8, "errors", AV_ERRORS, 8,
          "last_ts_ns", AV_LAST_TS_NS, 8)));

  static Stream<Path> objects() throws IOException {
    List<Path> all = new ArrayList<>();
    if (Files.isDirectory(MAIN_OBJECTS)) {
      try (Stream<Path> s = Files.list(MAIN_OBJECTS)) {
        s.filter(p -> p.toString().endsWith(".bpf.o")).sorted().forEach(all::add);
      }
    }
    all.add(TEST_OBJECT);
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objects")
  void everyStructTheObjectDescribesMatchesEventLayout(Path object) {
    SoftAssertions soft = new SoftAssertions();
    try (Btf btf = Btf.parseElf(object)) {
      for (Expected e : EXPECTED) {
        Optional<Btf.Struct> found = btf.struct(e.struct());
        if (found.isEmpty()) {
          continue; // an object need not use every struct; the test below requires each to be somewhere
        }
        Btf.Struct s = found.get();
        for (Map.Entry<String, int[]> f : e.fields().entrySet()) {
          String where = object.getFileName() + ": struct " + e.struct() + "." + f.getKey();
          if (f.getKey().equals("sizeof")) {
            soft.assertThat(s.size()).as(where).isEqualTo(f.getValue()[1]);
            continue;
          }
          Optional<Btf.Member> m = s.member(f.getKey());
          soft.assertThat(m).as(where + " exists").isPresent();
          m.ifPresent(member -> {
            soft.assertThat(member.bitOffset() % 8).as(where + " byte aligned").isZero();
            soft.assertThat(member.offset()).as(where + " offset").isEqualTo(f.getValue()[0]);
            soft.assertThat(member.size()).as(where + " size").isEqualTo(f.getValue()[1]);
          });
        }
        for (Btf.Member m : s.members()) {
          soft.assertThat(m.name().startsWith("__pad") || e.fields().containsKey(m.name()))
              .as(object.getFileName() + ": struct " + e.struct() + "." + m.name() + " is unknown to EventLayout")
              .isTrue();
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void eachStructIsDescribedByAtLeastOneCommittedObject() throws IOException {
    List<Path> objects = objects().toList();
    for (Expected e : EXPECTED) {
      boolean somewhere = false;
      for (Path o : objects) {
        try (Btf btf = Btf.parseElf(o)) {
          somewhere |= btf.struct(e.struct()).isPresent();
        }
      }
      assertThat(somewhere).as("struct %s in the BTF of some object of %s", e.struct(), objects).isTrue();
    }
  }

  @Test
  void theCommittedProbeObjectsAreThere() {
    for (String f : List.of("process.bpf.o", "syscalls.bpf.o", "signal.bpf.o", "bench.bpf.o")) {
      assertThat(MAIN_OBJECTS.resolve(f)).isRegularFile();
    }
  }
}

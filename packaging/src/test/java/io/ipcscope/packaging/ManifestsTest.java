package io.ipcscope.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The fleet's files, parsed: what a node's collector needs is there, and the pipeline refers only to what it defines. */
class ManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path SRC = Path.of("src");
  private static final String VERSION = System.getProperty("ipcscope.version");

  @Test
  void theDaemonSetRunsTheCollectorOnEveryNodeWithWhatEbpfNeeds() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(SRC.resolve("k8s/daemonset.yaml")
        .toFile())) {
      it.forEachRemaining(docs::add);
    }
    assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("Namespace", "ServiceAccount",
        "DaemonSet");
    JsonNode ds = docs.get(2);
    assertThat(ds.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(ds.at("/spec/selector/matchLabels")).isEqualTo(ds.at("/spec/template/metadata/labels"));
    JsonNode pod = ds.at("/spec/template/spec");
    assertThat(pod.path("hostPID").asBoolean()).isTrue();
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo(docs.get(1).at("/metadata/name").asText());

    JsonNode collector = pod.path("containers").get(0);
    assertThat(collector.path("image").asText()).isEqualTo("ipcscope:" + VERSION);
    assertThat(collector.path("args").get(0).asText()).isEqualTo("collect");
    JsonNode security = collector.path("securityContext");
    assertThat(security.path("privileged").asBoolean()).isFalse();
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(texts(security.at("/capabilities/add"))).containsExactlyInAnyOrder("BPF", "PERFMON", "SYS_RESOURCE",
        "SYS_ADMIN", "SYS_PTRACE", "DAC_READ_SEARCH");
    for (String kind : List.of("requests", "limits")) {
      assertThat(collector.at("/resources/" + kind + "/cpu").asText()).as(kind).isNotEmpty();
      assertThat(collector.at("/resources/" + kind + "/memory").asText()).as(kind).isNotEmpty();
    }

    Map<String, String> hostPaths = StreamSupport.stream(pod.path("volumes").spliterator(), false)
        .filter(v -> v.has("hostPath"))
        .collect(Collectors.toMap(v -> v.path("name").asText(), v -> v.at("/hostPath/path").asText()));
    Map<String, String> mounts = StreamSupport.stream(collector.path("volumeMounts").spliterator(), false)
        .collect(Collectors.toMap(m -> m.path("name").asText(), m -> m.path("mountPath").asText()));
    assertThat(hostPaths).containsEntry("btf", "/sys/kernel/btf").containsEntry("bpffs", "/sys/fs/bpf")
        .containsEntry("tracefs", "/sys/kernel/tracing").containsEntry("run", "/run/ipcscope")
        .containsEntry("agent-offer", "/var/lib/ipcscope/agent");
    for (String name : List.of("btf", "bpffs", "tracefs", "run")) {
      assertThat(mounts).as("mounted where the host has it").containsEntry(name, hostPaths.get(name));
    }
    JsonNode offer = pod.path("initContainers").get(0);
    assertThat(offer.path("image").asText()).isEqualTo("ipcscope:" + VERSION);
    assertThat(texts(offer.path("command"))).contains("/usr/share/ipcscope/ipcscope-agent.jar");
    assertThat(offer.at("/volumeMounts/0/name").asText()).isEqualTo("agent-offer");
  }

  @Test
  void theCollectorPipelineTakesOtlpBatchesAndUsesOnlyWhatItDefines() throws Exception {
    JsonNode config = YAML.readTree(SRC.resolve("otel/collector.yaml").toFile());
    JsonNode pipelines = config.at("/service/pipelines");
    assertThat(texts(pipelines.at("/traces/receivers"))).containsExactly("otlp");
    assertThat(texts(pipelines.at("/traces/processors"))).containsExactly("memory_limiter", "batch");
    assertThat(config.at("/receivers/otlp/protocols/grpc/endpoint").asText()).endsWith(":4317");
    assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText()).endsWith(":4318");
    assertThat(names(config.path("exporters"))).contains("otlp/jaeger", "otlp/tempo", "zipkin");
    for (JsonNode pipeline : pipelines) {
      for (String kind : List.of("receivers", "processors", "exporters")) {
        assertThat(names(config.path(kind))).as(kind).containsAll(texts(pipeline.path(kind)));
      }
    }
  }

  @Test
  void theImageIsTheDebianPackageOnItsDistribution() throws Exception {
    List<String> lines = Files.readAllLines(SRC.resolve("docker/Dockerfile"));
    assertThat(lines).contains("FROM debian:bookworm-slim", "ENTRYPOINT [\"/usr/bin/ipcscope\"]", "CMD [\"collect\"]");
    assertThat(String.join("\n", lines)).contains("openjdk-17-jre-headless libbpf1").contains("dpkg -i");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

package io.ipcscope.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void defaultsWhenNothingIsGiven() {
    AgentConfig config = AgentConfig.load(null, Map.of(), Map.of());

    assertThat(config.enabled()).isTrue();
    assertThat(config.features()).isEqualTo(EnumSet.allOf(Feature.class));
    assertThat(config.granularity()).isEqualTo(Granularity.OP);
    assertThat(config.export()).isEqualTo(ExportMode.AUTO);
    assertThat(config.socket()).isEqualTo("/run/ipcscope/agent.sock");
    assertThat(config.queueCapacity()).isEqualTo(16_384);
    assertThat(config.streamIdleMillis()).isEqualTo(1_000);
    assertThat(config.detail()).isEqualTo(100);
    assertThat(config.cache()).isEqualTo("auto");
    assertThat(config.debug()).isFalse();
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void theCacheIsAutoOffOrAnAbsoluteDirectory() {
    assertThat(AgentConfig.load("cache=OFF", Map.of(), Map.of()).cache()).isEqualTo("off");
    assertThat(AgentConfig.load(null, Map.of(), Map.of("IPCSCOPE_AGENT_CACHE", "/var/cache/x")).cache())
        .isEqualTo("/var/cache/x");

    AgentConfig relative = AgentConfig.load("cache=here", Map.of(), Map.of());

    assertThat(relative.cache()).isEqualTo("auto");
    assertThat(relative.problems()).containsExactly("option cache=here (from the agent argument) not understood:"
        + " expected auto, off or an absolute directory; using auto");
  }

  @Test
  void theAgentArgumentBeatsSystemPropertiesWhichBeatTheEnvironment() {
    Map<String, String> env = Map.of("IPCSCOPE_AGENT_QUEUE", "10", "IPCSCOPE_AGENT_SOCKET", "/env.sock",
        "IPCSCOPE_AGENT_GRANULARITY", "stream", "IPCSCOPE_AGENT_STREAM_IDLE_MS", "250");
    Map<String, String> properties = Map.of("ipcscope.agent.queue", "20", "ipcscope.agent.socket", "/prop.sock");

    AgentConfig config = AgentConfig.load("queue=30", properties, env);

    assertThat(config.queueCapacity()).isEqualTo(30);
    assertThat(config.socket()).isEqualTo("/prop.sock");
    assertThat(config.granularity()).isEqualTo(Granularity.STREAM);
    assertThat(config.streamIdleMillis()).isEqualTo(250);
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void listsSeparateTheirItemsWithPlus() {
    AgentConfig config = AgentConfig.load("mechanisms=process+ SIGNAL +jna", Map.of(), Map.of());

    assertThat(config.features()).containsExactlyInAnyOrder(Feature.PROCESS, Feature.SIGNAL, Feature.JNA);
    assertThat(config.has(Feature.SOCKET)).isFalse();
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void anEmptyListTurnsEveryMechanismOff() {
    assertThat(AgentConfig.load("mechanisms=", Map.of(), Map.of()).features()).isEmpty();
  }

  @Test
  void severalPairsAndABareKeyMeaningTrue() {
    AgentConfig config = AgentConfig.load(" export = otlp ,debug,,enabled=off,", Map.of(), Map.of());

    assertThat(config.export()).isEqualTo(ExportMode.OTLP);
    assertThat(config.debug()).isTrue();
    assertThat(config.enabled()).isFalse();
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void aBadValueIsOneLineNamingItsSourceAndTheDefaultIsUsed() {
    AgentConfig config = AgentConfig.load("queue=banana,granularity=packet", Map.of("ipcscope.agent.debug", "maybe"),
        Map.of("IPCSCOPE_AGENT_MECHANISMS", "process+smoke", "IPCSCOPE_AGENT_STREAM_IDLE_MS", "-5"));

    assertThat(config.queueCapacity()).isEqualTo(16_384);
    assertThat(config.granularity()).isEqualTo(Granularity.OP);
    assertThat(config.debug()).isFalse();
    assertThat(config.features()).isEqualTo(EnumSet.allOf(Feature.class));
    assertThat(config.streamIdleMillis()).isEqualTo(1_000);
    assertThat(config.problems()).containsExactly(
        "option mechanisms=process+smoke (from IPCSCOPE_AGENT_MECHANISMS) not understood: expected one of process,"
            + " signal, socket, file, jna; using process+signal+socket+file+jna",
        "option granularity=packet (from the agent argument) not understood: expected one of op, stream; using op",
        "option queue=banana (from the agent argument) not understood: expected a positive whole number;"
            + " using 16384",
        "option stream.idle.ms=-5 (from IPCSCOPE_AGENT_STREAM_IDLE_MS) not understood: expected a positive whole"
            + " number; using 1000",
        "option debug=maybe (from -Dipcscope.agent.debug) not understood: expected true or false; using false");
  }

  @Test
  void detailIsAWholeNumberOrAll() {
    assertThat(AgentConfig.load("detail=0", Map.of(), Map.of()).detail()).isZero();
    assertThat(AgentConfig.load("detail=2500", Map.of(), Map.of()).detail()).isEqualTo(2500);
    assertThat(AgentConfig.load("detail=ALL", Map.of(), Map.of()).detail()).isEqualTo(AgentConfig.DETAIL_ALL);
    assertThat(AgentConfig.load(null, Map.of(), Map.of("IPCSCOPE_AGENT_DETAIL", "7")).detail()).isEqualTo(7);

    AgentConfig bad = AgentConfig.load(null, Map.of("ipcscope.agent.detail", "-1"), Map.of());

    assertThat(bad.detail()).isEqualTo(100);
    assertThat(bad.problems()).containsExactly("option detail=-1 (from -Dipcscope.agent.detail) not understood:"
        + " expected a whole number (0 or more) or all; using 100");
  }

  @Test
  void anUnknownOptionInTheArgumentIsReportedAndTheRestStillApplies() {
    AgentConfig config = AgentConfig.load("sockte=/x.sock,queue=5", Map.of(), Map.of());

    assertThat(config.socket()).isEqualTo(AgentConfig.DEFAULT_SOCKET);
    assertThat(config.queueCapacity()).isEqualTo(5);
    assertThat(config.problems()).containsExactly("unknown option 'sockte' ignored (options: enabled, mechanisms,"
        + " granularity, export, socket, queue, stream.idle.ms, detail, cache, debug)");
  }

  @Test
  void propertiesAndVariablesOfOtherProgramsAreNotOurs() {
    AgentConfig config = AgentConfig.load(null, Map.of("ipcscope.agent.test.failEverything", "true",
        "ipcscope.agentqueue", "3"), Map.of("IPCSCOPE_QUEUE", "3"));

    assertThat(config.queueCapacity()).isEqualTo(16_384);
    assertThat(config.problems()).isEmpty();
  }
}

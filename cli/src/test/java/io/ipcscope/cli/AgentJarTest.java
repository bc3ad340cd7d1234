package io.ipcscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {

  @TempDir Path dir;

  @Test
  void aNamedJarMustExistAndWinsOverEverythingElse() throws Exception {
    Path named = Files.createFile(dir.resolve("mine.jar"));
    assertThat(AgentJar.locate(named, "/elsewhere.jar", Map.of(), null)).isEqualTo(named);
    assertThatThrownBy(() -> AgentJar.locate(dir.resolve("none.jar"), null, Map.of(), null))
        .isInstanceOf(UserError.class).hasMessage("no agent jar at " + dir.resolve("none.jar") + " (--agent-jar)");
  }

  @Test
  void thePropertyThenTheVariable() throws Exception {
    Path byProperty = Files.createFile(dir.resolve("p.jar"));
    Path byVariable = Files.createFile(dir.resolve("v.jar"));
    Map<String, String> env = Map.of(AgentJar.VARIABLE, byVariable.toString());
    assertThat(AgentJar.locate(null, byProperty.toString(), env, null)).isEqualTo(byProperty);
    assertThat(AgentJar.locate(null, null, env, null)).isEqualTo(byVariable);
    assertThatThrownBy(() -> AgentJar.locate(null, null, Map.of(AgentJar.VARIABLE, "/no/such.jar"), null))
        .hasMessage("agent jar /no/such.jar (from IPCSCOPE_AGENT_JAR): no such file");
  }

  @Test
  void besideTheCommandLinesJarThenInTheCheckoutItWasBuiltIn() throws Exception {
    Path cliJar = dir.resolve("cli/target/ipcscope.jar");
    Path classes = dir.resolve("cli/target/classes");
    Files.createDirectories(classes);
    Files.createFile(cliJar);
    Path checkout = dir.resolve("agent/target/" + AgentJar.NAME);
    assertThat(AgentJar.candidates(cliJar)).containsExactly(dir.resolve("cli/target/" + AgentJar.NAME), checkout);
    assertThat(AgentJar.candidates(classes))
        .containsExactly(dir.resolve("cli/target/classes/" + AgentJar.NAME), checkout);
    assertThatThrownBy(() -> AgentJar.locate(null, null, Map.of(), cliJar)).isInstanceOf(UserError.class)
        .hasMessageContaining(checkout.toString()).hasMessageEndingWith("give its path with --agent-jar");

    Files.createDirectories(checkout.getParent());
    Files.createFile(checkout);
    assertThat(AgentJar.locate(null, null, Map.of(), cliJar)).isEqualTo(checkout);
    Path installed = Files.createFile(dir.resolve("cli/target/" + AgentJar.NAME));
    assertThat(AgentJar.locate(null, null, Map.of(), cliJar)).isEqualTo(installed);
  }

  /** The reactor builds the agent before the command line (cli depends on it for that): this build's jar is found. */
  @Test
  void findsTheAgentThisCheckoutBuilt() throws Exception {
    Path found = AgentJar.locate(null, null, Map.of(), AgentJar.running());
    assertThat(found).endsWith(Path.of("agent", "target", AgentJar.NAME));
    try (JarFile jar = new JarFile(found.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("io.ipcscope.agent.IpcscopeAgent");
    }
  }
}

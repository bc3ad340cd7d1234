package io.ipcscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapBridgeTest {

  /** The bridge's class list is written down (no scan of the agent's jar at start): it must be what was compiled. */
  @Test
  void theBridgeClassListIsEveryClassOfTheBridgePackage() throws Exception {
    File compiled = Paths.get("target/classes", BootstrapBridge.PACKAGE).toFile();
    List<String> classes = new ArrayList<>();
    for (String name : compiled.list()) {
      classes.add(name.substring(0, name.length() - ".class".length()));
    }

    assertThat(classes).containsExactlyInAnyOrderElementsOf(BootstrapBridge.CLASSES);
  }
}

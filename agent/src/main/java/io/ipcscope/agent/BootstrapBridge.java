package io.ipcscope.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Puts {@code io.ipcscope.agent.bootstrap} into the bootstrap class loader, where advice inlined into JDK classes
 * can see it, and opens the JDK packages the agent reads (descriptor numbers, wrapped streams) to the agent.
 */
final class BootstrapBridge {

  static final String PACKAGE = "io/ipcscope/agent/bootstrap/";

  private BootstrapBridge() {}

  static void inject(Instrumentation instrumentation) throws IOException {
    Path jar = Files.createTempFile("ipcscope-agent-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : bridgeClasses()) {
        try (InputStream in = BootstrapBridge.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("bridge class " + name + " missing from the agent");
          }
          out.putNextEntry(new JarEntry(name));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  /**
   * Lets JDK modules read the bridge (in the bootstrap loader's unnamed module) and opens the named packages of
   * {@code module} to the agent.
   */
  static void open(Instrumentation instrumentation, Module module, String... packages) throws ClassNotFoundException {
    Module bridge = Class.forName("io.ipcscope.agent.bootstrap.IpcBridge", false, null).getModule();
    Module agent = BootstrapBridge.class.getModule();
    Map<String, Set<Module>> opens = Stream.of(packages).collect(Collectors.toMap(p -> p, p -> Set.of(agent)));
    instrumentation.redefineModule(module, Set.of(bridge), Map.of(), opens, Set.of(), Map.of());
  }

  /** The bridge's class files, from the agent's jar (or its classes directory when run from a build). */
  private static List<String> bridgeClasses() throws IOException {
    File source;
    try {
      source = new File(BootstrapBridge.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> names = new ArrayList<>();
    if (source.isDirectory()) {
      try (Stream<Path> files = Files.list(source.toPath().resolve(PACKAGE))) {
        files.forEach(f -> names.add(PACKAGE + f.getFileName()));
      }
    } else {
      try (JarFile jar = new JarFile(source)) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (name.startsWith(PACKAGE) && name.endsWith(".class")) {
            names.add(name);
          }
        }
      }
    }
    if (names.isEmpty()) {
      throw new IOException("no bridge classes under " + PACKAGE + " in " + source);
    }
    return names;
  }
}

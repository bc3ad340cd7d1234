package io.ipcscope.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@code io.ipcscope.agent.bootstrap} into the bootstrap class loader, where advice inlined into JDK classes
 * can see it, and opens the JDK packages the agent reads (descriptor numbers, wrapped streams) to the agent.
 *
 * <p>The classes are defined there directly, by the JDK's internal {@code Unsafe}, which the instrumentation lets us
 * reach: appending a jar to the bootstrap class path instead would make the JVM share (CDS) only the boot loader's
 * classes from then on, so that the application's own JDK classes load slower, and print "Sharing is only supported
 * for boot loader classes" on the application's stderr. Should a JDK refuse that, the jar is appended after all: it is
 * written once per agent build into the agent's cache directory when there is one, and otherwise into a temporary
 * file named without {@code Files.createTempFile}, whose SecureRandom took a tenth of the agent's start-up.
 */
final class BootstrapBridge {

  static final String PACKAGE = "io/ipcscope/agent/bootstrap/";
  /**
   * Every class of the bridge package, in an order they can be defined in (an interface before what implements
   * it); BootstrapBridgeTest holds this list to what the build compiled.
   */
  static final List<String> CLASSES = List.of("IpcSink", "IpcSink$1", "IpcBridge");
  static final String JAR_NAME = "bootstrap.jar";

  private BootstrapBridge() {}

  /**
   * @param agentJar the jar the agent runs from, or null (a classes directory, in the agent's own tests)
   * @param directory the agent build's cache directory, or null to write a temporary jar removed at exit, should the
   *     jar be needed
   * @return how: {@code "defined"} or {@code "appended"} (for the debug status line)
   */
  static String inject(Instrumentation instrumentation, Path agentJar, Path directory) throws IOException {
    Map<String, byte[]> classFiles = classFiles(agentJar);
    if (defineInBootLoader(instrumentation, classFiles)) {
      return "defined";
    }
    Path jar = directory != null ? kept(directory.resolve(JAR_NAME), classFiles) : temporary(classFiles);
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    return "appended";
  }

  /**
   * Defines the bridge's classes in the bootstrap loader through {@code jdk.internal.misc.Unsafe}, exported to the
   * agent alone. False when the JDK refuses: a class defined before the refusal is then the same as the jar's, and
   * the loader keeps the one it has.
   */
  private static boolean defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classFiles) {
    try {
      instrumentation.redefineModule(Object.class.getModule(), Set.of(),
          Map.of("jdk.internal.misc", Set.of(BootstrapBridge.class.getModule())), Map.of(), Set.of(), Map.of());
      Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
      Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
      Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ClassLoader.class, ProtectionDomain.class);
      for (String simpleName : CLASSES) {
        byte[] bytes = classFiles.get(simpleName);
        define.invoke(unsafe, (PACKAGE + simpleName).replace('/', '.'), bytes, 0, bytes.length, null, null);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * The bridge's class files, by simple name, in {@link #CLASSES}' order. Read from the agent's jar itself, which the
   * JVM has open already: through the class loader, the first resource costs 10 ms of URL machinery.
   */
  private static Map<String, byte[]> classFiles(Path agentJar) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (agentJar != null) {
      try (JarFile jar = new JarFile(agentJar.toFile(), false)) {
        for (String simpleName : CLASSES) {
          JarEntry entry = jar.getJarEntry(PACKAGE + simpleName + ".class");
          if (entry == null) {
            throw new IOException("bridge class " + simpleName + " missing from " + agentJar);
          }
          try (InputStream in = jar.getInputStream(entry)) {
            files.put(simpleName, in.readAllBytes());
          }
        }
      }
      return files;
    }
    for (String simpleName : CLASSES) {
      String name = PACKAGE + simpleName + ".class";
      try (InputStream in = BootstrapBridge.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("bridge class " + name + " missing from the agent");
        }
        files.put(simpleName, in.readAllBytes());
      }
    }
    return files;
  }

  /**
   * Lets JDK modules read the bridge (in the bootstrap loader's unnamed module) and opens the named packages of
   * {@code module} to the agent.
   */
  static void open(Instrumentation instrumentation, Module module, String... packages) throws ClassNotFoundException {
    Module bridge = Class.forName("io.ipcscope.agent.bootstrap.IpcBridge", false, null).getModule();
    Set<Module> agent = Set.of(BootstrapBridge.class.getModule());
    Map<String, Set<Module>> opens = new HashMap<>();
    for (String name : packages) {
      opens.put(name, agent);
    }
    instrumentation.redefineModule(module, Set.of(bridge), Map.of(), opens, Set.of(), Map.of());
  }

  /** The jar of this agent build, written by the first JVM that needs it (whole or not at all, by a rename). */
  private static Path kept(Path jar, Map<String, byte[]> classFiles) throws IOException {
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    Path partial = jar.resolveSibling(JAR_NAME + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(partial); // left by a JVM of the same pid that died writing it; the directory is ours alone
    Path written = write(partial, classFiles);
    try {
      Files.move(written, jar, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(written, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }

  private static Path temporary(Map<String, byte[]> classFiles) throws IOException {
    Path directory = Paths.get(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      Path jar = directory.resolve("ipcscope-agent-bootstrap-" + ProcessHandle.current().pid() + "-"
          + Long.toHexString(System.nanoTime()) + ".jar");
      try {
        write(jar, classFiles);
        jar.toFile().deleteOnExit();
        return jar;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Writes the bridge's classes to a new file: CREATE_NEW, which a file or link already there makes fail. */
  private static Path write(Path jar, Map<String, byte[]> classFiles) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String simpleName : CLASSES) {
        out.putNextEntry(new JarEntry(PACKAGE + simpleName + ".class"));
        out.write(classFiles.get(simpleName));
        out.closeEntry();
      }
    }
    return jar;
  }
}

package io.ipcscope.cli.attach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The collector's end of the agent socket (docs/AGENT.md), as these tests need it: welcomes the agent and keeps the
 * lines it sends. Open to every user, so that an agent in another user's JVM can connect.
 */
final class CollectorStub implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final ServerSocketChannel server;
  private final List<JsonNode> lines = new CopyOnWriteArrayList<>();

  CollectorStub(Path dir) throws IOException {
    path = dir.resolve("agent.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
    Thread acceptor = new Thread(this::accept, "collector-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path path() {
    return path;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread reader = new Thread(() -> read(client), "collector-stub-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void read(SocketChannel client) {
    try (client; BufferedReader in = new BufferedReader(
        new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
      OutputStream out = Channels.newOutputStream(client);
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode node = JSON.readTree(line);
        lines.add(node);
        if (node.path("type").asText().equals("hello")) {
          out.write("{\"type\":\"welcome\",\"collector\":\"stub\"}\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the agent's JVM went away
    }
  }

  List<JsonNode> lines(String type) {
    return lines.stream().filter(n -> n.path("type").asText().equals(type)).toList();
  }

  List<JsonNode> await(String type, Predicate<List<JsonNode>> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(lines(type))) {
        return lines(type);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the collector stub got no '" + type + "' lines as expected in " + timeout + ": "
        + lines);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}

package io.ipcscope.agent.it;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The collector's end of the agent protocol, as the tests need it: welcomes every agent and keeps every line each
 * sends, parsed. Lets the agent's own output be checked exactly, without a collector deciding anything.
 */
final class AgentSocketStub implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final ServerSocketChannel server;
  private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final String welcome;

  /** A collector that predates protocol 2: its welcome names no protocol, so the agent sends no summaries. */
  AgentSocketStub(Path dir) throws IOException {
    this(dir, 0);
  }

  /** @param protocol the version the welcome chooses ({@code "protocol":N}); 0: none named */
  AgentSocketStub(Path dir, int protocol) throws IOException {
    this.welcome = "{\"type\":\"welcome\",\"collector\":\"stub\"" + (protocol > 0 ? ",\"protocol\":" + protocol : "")
        + "}\n";
    this.path = dir.resolve("agent.sock");
    Files.deleteIfExists(path);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    this.acceptor = new Thread(this::accept, "agent-socket-stub");
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
        Thread reader = new Thread(() -> read(client), "agent-socket-stub-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void read(SocketChannel client) {
    try (client;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
            StandardCharsets.UTF_8))) {
      OutputStream out = Channels.newOutputStream(client);
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode node = JSON.readTree(line);
        lines.add(node);
        if (node.path("type").asText().equals("hello")) {
          out.write(welcome.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the agent's JVM exited
    }
  }

  List<JsonNode> lines(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : lines) {
      if (n.path("type").asText().equals(type)) {
        out.add(n);
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}

package io.ipcscope.agent.target;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Target app: an HTTP server (the JDK's, which the OpenTelemetry Java agent instruments) whose POST /sort starts
 * {@code sort}, writes the request's lines to it one write each, and answers what it read back. Prints its port,
 * then for each request the child's pid and the kernel names of its stdin and stdout; stops when its stdin closes.
 */
public final class HttpSortServer {

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/sort", exchange -> {
      try (exchange) {
        String[] lines = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n");
        Process sort = new ProcessBuilder("sort").start();
        System.out.println("child " + sort.pid());
        System.out.println("stdin " + Files.readSymbolicLink(Paths.get("/proc/" + sort.pid() + "/fd/0")));
        System.out.println("stdout " + Files.readSymbolicLink(Paths.get("/proc/" + sort.pid() + "/fd/1")));
        try (OutputStream in = sort.getOutputStream()) {
          for (String line : lines) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
          }
        }
        byte[] sorted;
        try (InputStream out = sort.getInputStream()) {
          sorted = out.readAllBytes();
        }
        sort.waitFor();
        exchange.sendResponseHeaders(200, sorted.length);
        exchange.getResponseBody().write(sorted);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    System.out.println("port " + server.getAddress().getPort());
    while (System.in.read() >= 0) {
      // runs until the test closes our stdin
    }
    server.stop(0);
    System.out.println("stopped");
  }
}

package io.ipcscope.cli.backend;

import java.io.IOException;

/** One OTLP transport's server, bound to loopback; it can be stopped and bound again to the same port. */
interface OtlpTransport {
  /** Binds {@code port} (0: any free one) and returns the port bound. */
  int start(int port) throws IOException;

  /** Closes the listener and the open connections, so clients see a backend that is down. */
  void stop();
}

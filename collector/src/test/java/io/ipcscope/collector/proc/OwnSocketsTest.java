package io.ipcscope.collector.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OwnSocketsTest {

  @Test
  void packsAddressesAsTheProbesDo() {
    assertThat(ChannelKey.endpoint(OwnSockets.pack("0100007F:1F90"))).isEqualTo("127.0.0.1:8080");
    assertThat(ChannelKey.endpoint(OwnSockets.pack("00000000000000000000000001000000:0050"))).isEqualTo("[::1]:80");
    assertThat(ChannelKey.endpoint(OwnSockets.pack("0000000000000000FFFF00000100007F:0050")))
        .isEqualTo("127.0.0.1:80");
    assertThat(OwnSockets.pack("20010DB8000000000000000000000001:0050")).isZero();
  }

  @Test
  void findsThisProcesssOwnConnectionButNotAnotherPort() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept()) {
      long mine = OwnSockets.pack(String.format("0100007F:%04X", client.getLocalPort()));
      long nobodys = OwnSockets.pack("0100007F:0001");
      OwnSockets own = new OwnSockets(Path.of("/proc/self"));
      assertThat(own.test(mine)).isTrue();
      assertThat(own.test(nobodys)).isFalse();
    }
  }
}

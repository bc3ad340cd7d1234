package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which peers are the agent's own OTLP endpoint. */
class SocketCaptureEndpointTest {

  @Test
  void hostAndPortComeFromTheUrlWithTheSchemesDefaultPort() {
    SocketCapture.Endpoint local = SocketCapture.Endpoint.parse("http://localhost:4318/v1/traces");
    assertThat(local.host).isEqualTo("localhost");
    assertThat(local.port).isEqualTo(4318);
    assertThat(SocketCapture.Endpoint.parse("https://otel.example.com/v1/traces").port).isEqualTo(443);
    assertThat(SocketCapture.Endpoint.parse("http://otel.example.com").port).isEqualTo(80);
    assertThat(SocketCapture.Endpoint.parse("http://[::1]:4318/v1/traces").host).isEqualTo("::1");
  }

  @Test
  void noEndpointWithoutAUrlOrAHost() {
    assertThat(SocketCapture.Endpoint.parse(null)).isNull();
    assertThat(SocketCapture.Endpoint.parse("localhost:4318")).isNull();
    assertThat(SocketCapture.Endpoint.parse("http://bad url")).isNull();
  }

  @Test
  void aPeerIsTheEndpointByAddressOrByTheNameItWasMadeWithAndOnlyOnItsPort() throws Exception {
    InetAddress ipv4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    InetAddress ipv6 = InetAddress.getByName("::1");
    SocketCapture.Endpoint byLiteral = SocketCapture.Endpoint.parse("http://127.0.0.1:4318");
    assertThat(byLiteral.is(ipv4, "", 4318)).isTrue();
    assertThat(byLiteral.is(ipv4, "", 4317)).isFalse();
    assertThat(byLiteral.is(ipv6, "", 4318)).isFalse();
    assertThat(SocketCapture.Endpoint.parse("http://[::1]:4318").is(ipv6, "", 4318)).isTrue();
    SocketCapture.Endpoint byName = SocketCapture.Endpoint.parse("http://collector.invalid:4318");
    assertThat(byName.is(InetAddress.getByAddress("collector.invalid", new byte[] {10, 1, 2, 3}), "collector.invalid",
        4318)).isTrue();
    assertThat(byName.is(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), "", 4318)).as("not resolvable").isFalse();
  }
}

package io.ipcscope.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.agent.capture.IpcOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OpJsonTest {

  @Test
  void writesOneLineWithEveryFieldAndTheParent() {
    IpcOp op = new IpcOp("pipe", "write", "pipe:[4711]", 64, 4250, 4243, 100, 250,
        new IpcOp.Parent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true),
        "ipc.child.command", "sort -n", "ipc.stream", "stdin");
    StringBuilder out = new StringBuilder();

    OpJson.op(out, op, "5b8aa5a2d2c872e8");

    assertThat(out.toString()).isEqualTo("{\"type\":\"op\",\"span_id\":\"5b8aa5a2d2c872e8\",\"mechanism\":\"pipe\","
        + "\"operation\":\"write\",\"channel\":\"pipe:[4711]\",\"bytes\":64,\"peer_pid\":4250,\"tid\":4243,"
        + "\"start\":100,\"end\":250,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
        + "\"parent_span_id\":\"b7ad6b7169203331\",\"sampled\":true,"
        + "\"attributes\":{\"ipc.child.command\":\"sort -n\",\"ipc.stream\":\"stdin\"}}\n");
  }

  @Test
  void aSummaryIsAnOperationLineWithItsCount() {
    IpcOp op = new IpcOp("pipe", "write", "pipe:[4711]", 313_600, 4250, 4243, 1_000, 999_000,
        new IpcOp.Parent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", false), "ipc.stream", "stdin");
    StringBuilder out = new StringBuilder();

    OpJson.summary(out, new OpSummary(op, 4_900), "5b8aa5a2d2c872e8");

    assertThat(out.toString()).isEqualTo("{\"type\":\"summary\",\"span_id\":\"5b8aa5a2d2c872e8\","
        + "\"mechanism\":\"pipe\",\"operation\":\"write\",\"channel\":\"pipe:[4711]\",\"count\":4900,"
        + "\"bytes\":313600,\"peer_pid\":4250,\"tid\":4243,\"start\":1000,\"end\":999000,"
        + "\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"parent_span_id\":\"b7ad6b7169203331\","
        + "\"sampled\":false,\"attributes\":{\"ipc.stream\":\"stdin\"}}\n");
  }

  @Test
  void theWelcomeChoosesTheProtocolWithinWhatTheAgentOffers() {
    assertThat(CollectorLink.chosenProtocol("{\"type\":\"welcome\",\"collector\":\"0.1.0\"}")).isEqualTo(1);
    assertThat(CollectorLink.chosenProtocol("{\"type\":\"welcome\",\"protocol\":2}")).isEqualTo(2);
    assertThat(CollectorLink.chosenProtocol("{\"type\":\"welcome\",\"protocol\":1}")).isEqualTo(1);
    assertThat(CollectorLink.chosenProtocol("{\"type\":\"welcome\",\"protocol\":7}")).isEqualTo(2);
    assertThat(CollectorLink.chosenProtocol("{\"type\":\"welcome\",\"protocol\":\"x\"}")).isEqualTo(1);
  }

  @Test
  void escapesWhatJsonCannotHoldLiterally() {
    IpcOp op = new IpcOp("fifo", "open", "/tmp/a \"b\"\\c\n\u0001", -1, 0, 1, 0, 0, null);
    StringBuilder out = new StringBuilder();

    OpJson.op(out, op, "0000000000000001");

    assertThat(out.toString()).contains("\"channel\":\"/tmp/a \\\"b\\\"\\\\c\\n\\u0001\"")
        .doesNotContain("trace_id").endsWith("\"attributes\":{}}\n");
    assertThat(out.toString().indexOf('\n')).isEqualTo(out.length() - 1);
  }

  @Test
  void spanIdsAreSixteenHexDigitsAndNeverZero() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(SpanIds.random(random)).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
    }
  }
}

package io.ipcscope.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.Children;
import io.ipcscope.collector.RootOnly;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent in a pod: a client of the agent protocol (Python, as small as an agent gets) runs as pid 1 of a pid
 * namespace of its own, as {@code unshare --pid --fork --mount-proc} makes one. It says hello for the pid it knows,
 * 1, and names its thread and its child as its namespace numbers them; the collector must take it, and hand on
 * the pids and thread ids that the kernel's events carry.
 */
@ExtendWith(RootOnly.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentServerNamespaceTest {

  /** Says hello for argv[2] (default: its own pid), prints the answer, reports two operations, and waits. */
  private static final String AGENT = String.join("\n",
      "import json, os, socket, subprocess, sys, threading",
      "s = socket.socket(socket.AF_UNIX)",
      "s.connect(sys.argv[1])",
      "f = s.makefile('rw')",
      "claim = int(sys.argv[2]) if len(sys.argv) > 2 else os.getpid()",
      "f.write(json.dumps({'type': 'hello', 'protocol': 1, 'max_protocol': 2, 'pid': claim, 'service': 'pod',",
      "    'agent': '0.1.0', 'runtime': 'python'}) + '\\n')",
      "f.flush()",
      "answer = f.readline().strip()",
      "print(answer, flush=True)",
      "if 'welcome' not in answer: sys.exit(0)",
      "child = subprocess.Popen(['sleep', '60'])",
      "tid = threading.get_native_id()",
      "def op(kind, thread, peer):",
      "    return json.dumps({'type': kind, 'span_id': '5b8aa5a2d2c872e8', 'mechanism': 'pipe',",
      "        'operation': 'write', 'channel': 'pipe:[4711]', 'bytes': 64, 'peer_pid': peer, 'tid': thread,",
      "        'start': 1000, 'end': 2000, 'count': 3}) + '\\n'",
      "f.write(op('op', tid, child.pid) + op('op', 4000, 3999) + op('summary', tid, child.pid))",
      "f.flush()",
      "print(os.getpid(), tid, child.pid, flush=True)",
      "sys.stdin.read()",
      "child.kill()");

  @TempDir Path dir;
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final AgentInbox inbox = new AgentInbox(1_000);
  private AgentServer server;
  private Process pod;

  @BeforeEach
  void start() throws IOException {
    server = AgentServer.start(dir.resolve("run/ipcscope/agent.sock"), inbox,
        new AgentServer.Options(64, 4096, 5_000_000_000L, "9.9.9", notices::add));
  }

  @AfterEach
  void stop() {
    if (pod != null) {
      pod.descendants().forEach(ProcessHandle::destroyForcibly);
      pod.destroyForcibly();
    }
    server.close();
  }

  @Test
  void anAgentThatIsPid1OfItsOwnNamespaceIsWelcomedAndItsIdsBecomeOurs() throws Exception {
    BufferedReader out = startPod();
    assertThat(out.readLine()).isEqualTo("{\"type\":\"welcome\",\"collector\":\"9.9.9\",\"protocol\":2}");
    String[] ids = out.readLine().split(" ");
    assertThat(ids).as("pid, thread and child, as the namespace numbers them").hasSize(3).startsWith("1", "1");
    int agent = Children.awaitFirst((int) pod.pid());
    int sleeper = Children.awaitFirst(agent);
    assertThat(sleeper).as("we and the namespace number the child apart").isNotEqualTo(Integer.parseInt(ids[2]));

    List<AgentMessage> got = AgentServerTest.await(inbox, 4);
    assertThat(got.get(0)).isEqualTo(new AgentMessage.Hello(agent, "pod", "0.1.0", "python"));
    assertThat(got.get(1)).isEqualTo(new AgentMessage.Op(op(agent, agent, sleeper)));
    assertThat(got.get(2)).as("a thread and a peer the namespace does not have: unknown, not somebody else")
        .isEqualTo(new AgentMessage.Op(op(agent, 0, 0)));
    assertThat(got.get(3)).isEqualTo(new AgentMessage.Summary(op(agent, agent, sleeper), 3));
    assertThat(notices).isEmpty();
  }

  @Test
  void anAgentInANamespaceMayStillSpeakOnlyForItself() throws Exception {
    BufferedReader out = startPod("2");
    int agent = Children.awaitFirst((int) pod.pid());
    assertThat(out.readLine()).isEqualTo("{\"type\":\"error\",\"message\":\"hello for pid 2 on a connection of pid "
        + agent + " (1 in its own pid namespace): an agent speaks only for its own process\"}");
    assertThat(inbox.rejected()).isEqualTo(1);
    assertThat(inbox.welcomed()).isZero();
    assertThat(notices).containsExactly("agent socket: pid " + agent + ": hello for pid 2 on a connection of pid "
        + agent + " (1 in its own pid namespace): an agent speaks only for its own process; connection closed");
  }

  private static AgentOp op(int pid, int tid, long peer) {
    return new AgentOp(pid, "5b8aa5a2d2c872e8", "pipe", "write", "pipe:[4711]", 64, peer, tid, 1000, 2000, "", "",
        true, List.<Map.Entry<String, String>>of());
  }

  private BufferedReader startPod(String... claim) throws IOException {
    List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "python3", "-c",
        AGENT, server.socket().toString()));
    command.addAll(List.of(claim));
    pod = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new BufferedReader(new InputStreamReader(pod.getInputStream(), StandardCharsets.UTF_8));
  }

}

package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop on a virtual terminal: keys queued up front, and whether the terminal is given back. */
@Timeout(10)
class TopAppTest {

  /** Remembers whether the screen left the alternate buffer, which is what restores the user's terminal. */
  static final class RecordingTerminal extends DefaultVirtualTerminal {
    boolean restored;

    RecordingTerminal() {
      super(new TerminalSize(80, 24));
    }

    @Override
    public synchronized void exitPrivateMode() {
      restored = true;
      super.exitPrivateMode();
    }
  }

  @Test
  void quitsOnQAndRestoresTheTerminal() throws IOException {
    RecordingTerminal terminal = new RecordingTerminal();
    AtomicInteger polls = new AtomicInteger();
    TopSource source = new TopSource() {
      @Override
      public Optional<TopFrame> poll() {
        int n = polls.incrementAndGet();
        return Optional.of(frame(n * SECOND, 0, edge(PIPE, n, 100L * n, n * SECOND)));
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    terminal.addInput(new KeyStroke(KeyType.Tab));
    terminal.addInput(new KeyStroke('q', false, false));
    assertThat(TopApp.run(terminal, source, 10)).isZero();
    assertThat(polls.get()).isPositive();
    assertThat(terminal.restored).isTrue();
  }

  @Test
  void restoresTheTerminalWhenTheSourceFails() {
    RecordingTerminal terminal = new RecordingTerminal();
    TopSource failing = new TopSource() {
      @Override
      public Optional<TopFrame> poll() {
        throw new IllegalStateException("collector socket closed");
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    assertThatThrownBy(() -> TopApp.run(terminal, failing, 10)).hasMessage("collector socket closed");
    assertThat(terminal.restored).isTrue();
  }
}

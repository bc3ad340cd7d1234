package io.ipcscope.tui;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A frame goes to the terminal in one write; a cursor position query, which Lanterna waits on, at once. */
class TerminalOutputTest {

  /** Remembers each write that reaches it, as a tty would see them. */
  static final class Writes extends OutputStream {
    final List<String> writes = new ArrayList<>();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes.add(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  @Test
  void holdsWhatIsWrittenUntilFlushed() throws IOException {
    Writes tty = new Writes();
    TerminalOutput out = new TerminalOutput(tty);
    out.write("\u001b[1;1H".getBytes(StandardCharsets.UTF_8));
    out.write('x');
    out.write(new byte[40_000]); // more than the buffer holds at first
    assertThat(tty.writes).isEmpty();
    out.flush();
    assertThat(tty.writes).hasSize(1);
    assertThat(tty.writes.get(0)).startsWith("\u001b[1;1Hx").hasSize(6 + 1 + 40_000);
    out.flush();
    assertThat(tty.writes).as("nothing more to write").hasSize(1);
  }

  @Test
  void passesACursorPositionQueryOnAtOnce() throws IOException {
    Writes tty = new Writes();
    TerminalOutput out = new TerminalOutput(tty);
    out.write("\u001b[5000;5000H".getBytes(StandardCharsets.UTF_8));
    out.write("\u001b[6n".getBytes(StandardCharsets.UTF_8));
    assertThat(tty.writes).containsExactly("\u001b[5000;5000H\u001b[6n");
  }

  @Test
  void aRefreshIsOneWrite() throws IOException {
    Writes tty = new Writes();
    StreamTerminal terminal = StreamTerminal.open(new TerminalSize(80, 24), new TerminalOutput(tty));
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    int started = tty.writes.size();
    screen.newTextGraphics().putString(0, 0, "ipcscope top");
    screen.newTextGraphics().putString(0, 23, "q quit");
    screen.refresh(Screen.RefreshType.DELTA);
    assertThat(tty.writes).hasSize(started + 1);
    assertThat(tty.writes.get(started)).contains("ipcscope", "top", "quit"); // blanks are skipped, not written
    screen.stopScreen();
    terminal.close();
  }
}

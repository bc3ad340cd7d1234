package io.ipcscope.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.Optional;

/** What each key does to the model; kept apart from the loop so it is testable without a terminal. */
final class TopKeys {

  private TopKeys() {}

  /** As {@link #apply(TopModel, KeyStroke, int)}, a replay's own keys going to its {@code playback}. */
  static boolean apply(TopModel model, KeyStroke key, int page, Optional<Playback> playback) {
    // While a filter is typed its keys are text, never a seek.
    if (playback.isPresent() && model.filterDraft().isEmpty() && PlaybackKeys.apply(playback.get(), key)) {
      return false;
    }
    return apply(model, key, page);
  }

  /** Applies one key to the model; true when the user asked to quit. {@code page}: rows the screen shows. */
  static boolean apply(TopModel model, KeyStroke key, int page) {
    if (model.filterDraft().isPresent()) {
      // While typing a filter every printable key is text, so q and s do not quit or sort.
      switch (key.getKeyType()) {
        case Enter -> model.applyFilter();
        case Escape -> model.cancelFilter();
        case Backspace -> model.backspaceFilter();
        case Character -> {
          if (key.isCtrlDown() && key.getCharacter() == 'u') {
            model.clearFilterDraft(); // as in a shell: the whole line goes
          } else if (!key.isCtrlDown()) {
            model.typeFilter(key.getCharacter());
          }
        }
        default -> { }
      }
      return false;
    }
    KeyType type = key.getKeyType();
    if (type == KeyType.Escape || type == KeyType.Backspace) {
      // Esc closes the help, then the detail pane, and only then quits, so nobody quits by accident.
      if (model.help()) {
        model.toggleHelp();
      } else if (model.detailOpen()) {
        model.closeDetail();
      } else {
        return type == KeyType.Escape;
      }
      return false;
    }
    if (type == KeyType.Enter) {
      if (model.detailOpen()) {
        model.closeDetail();
      } else {
        model.openDetail();
      }
      return false;
    }
    if (type == KeyType.EOF) {
      return true; // the terminal went away
    }
    if (type == KeyType.Tab || type == KeyType.ArrowRight) {
      model.closeDetail();
      model.nextView();
      return false;
    }
    switch (type) {
      case ArrowDown -> model.scrollBy(1, page);
      case ArrowUp -> model.scrollBy(-1, page);
      case PageDown -> model.scrollBy(page, page);
      case PageUp -> model.scrollBy(-page, page);
      case Home -> model.scrollBy(Integer.MIN_VALUE / 2, page);
      case End -> model.scrollBy(Integer.MAX_VALUE / 2, page);
      default -> { }
    }
    if (type != KeyType.Character || key.isCtrlDown() && key.getCharacter() != 'c') {
      return false;
    }
    switch (key.getCharacter()) {
      case 'q', 'Q' -> {
        return true;
      }
      case 'c' -> {
        return key.isCtrlDown(); // raw mode delivers Ctrl-C as a key, not a signal
      }
      case 's', 'S' -> model.cycleSort();
      case 'm', 'M' -> model.nextFamily();
      case 'f', 'F' -> model.toggleFollow();
      case 'p', 'P', ' ' -> model.togglePause();
      case '/' -> model.startFilterEdit();
      case '?', 'h' -> model.toggleHelp();
      case '1', '2', '3', '4', '5', '6' -> {
        model.closeDetail();
        model.showView(TopModel.View.values()[key.getCharacter() - '1']);
      }
      case 'j' -> model.scrollBy(1, page);
      case 'k' -> model.scrollBy(-1, page);
      case 'g' -> model.scrollBy(Integer.MIN_VALUE / 2, page);
      case 'G' -> model.scrollBy(Integer.MAX_VALUE / 2, page);
      default -> { }
    }
    return false;
  }
}

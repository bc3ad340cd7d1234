package io.ipcscope.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * The keys of a replay, which go to the source's {@link Playback} rather than to the model: p and Space pause the
 * recorded clock itself (a live source's p only freezes the screen), brackets seek, plus and minus change the speed.
 */
final class PlaybackKeys {

  static final long STEP_NANOS = 10_000_000_000L;
  static final long LEAP_NANOS = 60_000_000_000L;

  private PlaybackKeys() {}

  /** Applies one key to the playback; false when it is not one of its keys, for the other keys to have it. */
  static boolean apply(Playback playback, KeyStroke key) {
    if (key.getKeyType() != KeyType.Character || key.isCtrlDown() || key.isAltDown()) {
      return false;
    }
    switch (key.getCharacter()) {
      case 'p', 'P', ' ' -> playback.togglePause();
      case ']' -> playback.seekBy(STEP_NANOS);
      case '[' -> playback.seekBy(-STEP_NANOS);
      case '}' -> playback.seekBy(LEAP_NANOS);
      case '{' -> playback.seekBy(-LEAP_NANOS);
      case '+', '=' -> playback.changeSpeed(2); // = is + without Shift on most layouts
      case '-' -> playback.changeSpeed(0.5);
      default -> {
        return false;
      }
    }
    return true;
  }
}

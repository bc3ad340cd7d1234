package io.ipcscope.collector.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps that forget their least recently used entry beyond a size: for what the kernel never says is gone. */
final class Lru {

  private Lru() {}

  static <K, V> Map<K, V> map(int max) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}

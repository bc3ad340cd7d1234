package io.ipcscope.collector.model;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Pairs each message taken from a queue with the send that put it there. A queue hands out its messages first in,
 * first out within a selector (the message type of a System V queue, the priority of a POSIX one), whatever the
 * receiver asked for, so the receive of a message with selector S takes the oldest unreceived send with selector S.
 * Either side may reach the tracer first (the receiver can return before the sender does), so unmatched receives
 * wait here too. Not thread-safe.
 *
 * @param <T> what the caller tracks per send or receive
 */
final class MessageMatcher<T> {

  /** Messages remembered per queue at most: a queue nobody reads must not grow the tracer without bound. */
  static final int MAX_PER_QUEUE = 65_536;

  record Side<T>(T item, int pid, long selector) {}

  private final Map<ChannelKey, ArrayDeque<Side<T>>> unreceived = new HashMap<>();
  private final Map<ChannelKey, ArrayDeque<Side<T>>> unsent = new HashMap<>();

  /** A message was sent: the receive it completes, or empty (it waits here for one). */
  Optional<Side<T>> sent(ChannelKey queue, Side<T> send) {
    Optional<Side<T>> receive = takeFirst(unsent, queue, send.selector());
    if (receive.isEmpty()) {
      remember(unreceived, queue, send);
    }
    return receive;
  }

  /**
   * A message was received: the send that put it there, or empty (the receive waits here for it). A peek (System
   * V's MSG_COPY) names the sender but leaves the message queued.
   */
  Optional<Side<T>> received(ChannelKey queue, Side<T> receive, boolean peek) {
    if (peek) {
      return first(unreceived, queue, receive.selector(), false);
    }
    Optional<Side<T>> send = takeFirst(unreceived, queue, receive.selector());
    if (send.isEmpty()) {
      remember(unsent, queue, receive);
    }
    return send;
  }

  /** A receive that waited too long for its send: its send, if it ever comes, is no longer paired with it. */
  void stopWaiting(ChannelKey queue, T receive) {
    ArrayDeque<Side<T>> waiting = unsent.get(queue);
    if (waiting != null) {
      waiting.removeIf(side -> side.item() == receive);
      if (waiting.isEmpty()) {
        unsent.remove(queue);
      }
    }
  }

  /** The queue is gone (msgctl IPC_RMID, mq_unlink then last close): its unreceived messages will never be. */
  void removed(ChannelKey queue) {
    unreceived.remove(queue);
    unsent.remove(queue);
  }

  private void remember(Map<ChannelKey, ArrayDeque<Side<T>>> sides, ChannelKey queue, Side<T> side) {
    ArrayDeque<Side<T>> list = sides.computeIfAbsent(queue, k -> new ArrayDeque<>());
    if (list.size() >= MAX_PER_QUEUE) {
      list.poll(); // the oldest: its other side, if it ever comes, goes unpaired
    }
    list.add(side);
  }

  private Optional<Side<T>> takeFirst(Map<ChannelKey, ArrayDeque<Side<T>>> sides, ChannelKey queue, long selector) {
    return first(sides, queue, selector, true);
  }

  private Optional<Side<T>> first(Map<ChannelKey, ArrayDeque<Side<T>>> sides, ChannelKey queue, long selector,
      boolean take) {
    ArrayDeque<Side<T>> list = sides.get(queue);
    if (list == null) {
      return Optional.empty();
    }
    for (Iterator<Side<T>> it = list.iterator(); it.hasNext(); ) {
      Side<T> side = it.next();
      if (side.selector() == selector) {
        if (take) {
          it.remove();
          if (list.isEmpty()) {
            sides.remove(queue);
          }
        }
        return Optional.of(side);
      }
    }
    return Optional.empty();
  }
}

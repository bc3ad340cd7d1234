package io.ipcscope.tui;

import io.ipcscope.collector.talk.RecentEvent;

/**
 * One operation as the Events view and the detail pane list it.
 *
 * @param time wall-clock time of day, to the millisecond
 * @param actor {@code comm[pid]} of the process that did it
 * @param peer whose data a consumer took ({@code ← head[12]}), or whom a producer addressed ({@code → cat[13]});
 *     empty when neither is known
 * @param channel the channel's name, or for a signal its name
 */
public record EventRow(RecentEvent event, String time, String actor, String peer, String channel)
    implements TopRow {

  @Override
  public Object id() {
    return event.seq();
  }
}

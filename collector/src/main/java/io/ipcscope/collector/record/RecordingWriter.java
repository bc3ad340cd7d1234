package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import io.ipcscope.collector.pipeline.ModelJournal;
import io.ipcscope.probes.event.IpcEvent;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes a recording (docs/RECORDING.md): the header, then every input of a {@link io.ipcscope.collector.pipeline
 * .ModelDriver} as it gets it. Give it to the driver as its journal; the live loop adds what the driver does not see
 * ({@link #lost}, {@link #note}). Records go into checksummed blocks of about 64 KiB, written when full and when
 * {@link #tick} finds the last one written more than {@link #FLUSH_NANOS} ago, so a tracer killed outright loses
 * at most that much. Write failures are {@link UncheckedIOException}s: the journal's callers cannot throw.
 * Not thread-safe.
 */
public final class RecordingWriter implements ModelJournal, Closeable {

  static final long FLUSH_NANOS = 250_000_000L;

  private final OutputStream out;
  private final ByteSink block = new ByteSink(RecordingFormat.BLOCK_BYTES + 1024);
  private final ByteSink blockHeader = new ByteSink(16);
  private final CRC32C crc = new CRC32C();
  private final RecordEncoder encoder;
  private long records;
  private long bytesWritten;
  private long lastFlushNanos;
  private boolean closed;

  /** Writes the header to {@code out} at once; {@link #close} closes {@code out}. */
  public RecordingWriter(OutputStream out, RecordingHeader header) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    this.encoder = new RecordEncoder(block, header.startMonotonicNanos());
    this.lastFlushNanos = header.startMonotonicNanos();
    out.write(RecordingFormat.MAGIC);
    ByteSink version = new ByteSink(5);
    version.writeVarInt(RecordingFormat.VERSION);
    out.write(version.array(), 0, version.size());
    bytesWritten = RecordingFormat.MAGIC.length + version.size();
    encoder.header(header);
    records++;
    flushQuietly(); // a header of its own block: readable at once, even if nothing else ever is
  }

  /** Creates (or truncates) {@code file} and writes the header. */
  public static RecordingWriter create(Path file, RecordingHeader header) throws IOException {
    FileOutputStream stream = new FileOutputStream(file.toFile());
    try {
      return new RecordingWriter(stream, header);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  @Override
  public void event(IpcEvent e) {
    encoder.event(e);
    recorded();
  }

  @Override
  public void tick(long nowNanos) {
    encoder.tick(nowNanos);
    recorded();
    if (nowNanos - lastFlushNanos >= FLUSH_NANOS) {
      lastFlushNanos = nowNanos;
      flushQuietly();
    }
  }

  @Override
  public void drain() {
    encoder.drain();
    recorded();
  }

  @Override
  public HostView observe(HostView host) {
    return RecordingHostView.wrap(host, this);
  }

  /** The kernel dropped {@code count} events, noticed at {@code nowNanos}. */
  public void lost(long nowNanos, long count) {
    encoder.lost(nowNanos, count);
    recorded();
  }

  /** Something the recording tool needs for its own replay; comes back in order ({@code ReplayListener.note}). */
  public void note(String key, String value) {
    encoder.note(key, value);
    recorded();
  }

  void snapshot(HostSnapshot snapshot) {
    encoder.snapshot(snapshot);
    recorded();
  }

  void holds(int pid, ChannelKey channel, boolean holds) {
    encoder.holds(pid, channel, holds);
    recorded();
  }

  void openChannels(int pid, Set<ChannelKey> open) {
    encoder.openChannels(pid, open);
    recorded();
  }

  void details(int pid, ProcessDetails details) {
    encoder.details(pid, details);
    recorded();
  }

  void mountPoint(int kernelDev, String mountPoint) {
    encoder.mountPoint(kernelDev, mountPoint);
    recorded();
  }

  /** Records written so far, the header included. */
  public long records() {
    return records;
  }

  /** Bytes handed to the output so far (records still in the current block not counted). */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Writes the current block and flushes the output. */
  public void flush() throws IOException {
    writeBlock();
    out.flush();
  }

  /** Writes the end record and closes the output. Closing twice does nothing. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      encoder.end(records + 1);
      records++;
      flush();
    }
  }

  private void recorded() {
    if (closed) {
      throw new IllegalStateException("recording closed");
    }
    records++;
    if (block.size() >= RecordingFormat.BLOCK_BYTES) {
      flushQuietly();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeBlock() throws IOException {
    if (block.size() == 0) {
      return;
    }
    crc.reset();
    crc.update(block.array(), 0, block.size());
    int sum = (int) crc.getValue();
    blockHeader.clear();
    blockHeader.writeVarInt(block.size());
    blockHeader.writeByte(sum);
    blockHeader.writeByte(sum >>> 8);
    blockHeader.writeByte(sum >>> 16);
    blockHeader.writeByte(sum >>> 24);
    out.write(blockHeader.array(), 0, blockHeader.size());
    out.write(block.array(), 0, block.size());
    bytesWritten += blockHeader.size() + block.size();
    block.clear();
  }
}

package io.ipcscope.demo;

import io.ipcscope.demo.UnixSocket.Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A descriptor passed over a Unix socket, then shared memory. A receiver JVM listens on a stream
 * socket in the run's temp dir; a sender JVM creates a memfd ({@link #memfdName}, sized to the
 * record rounded up to pages), maps it MAP_SHARED, connects, and passes the memfd in one sendmsg
 * with SCM_RIGHTS whose payload is the memfd's size ({@value #HEADER} bytes, big-endian). The
 * receiver maps it MAP_SHARED too. Then per record the sender writes it at the start of the
 * mapping and sends a {@value #TOKEN_BYTES}-byte token; the receiver checks the record in its own
 * mapping and sends a 1-byte ack, which the sender awaits before the next record. The records
 * themselves never cross the socket.
 *
 * <p>Truth: unix_socket "sender->receiver" (1 + N messages: the sendmsg and N send() calls of a
 * token; {@value #HEADER} + N bytes) and "receiver->sender" (N, N bytes), path = the listening
 * socket's; fd pass posix_shm "memfd" from sender to receiver via "sender->receiver", 1
 * descriptor; shared memory posix_shm "memfd", path "memfd:NAME", the memfd's size, mapped once
 * by the sender and once by the receiver (2 attaches); a SIGCHLD from receiver and sender.
 */
final class FdPassingWorkload implements Workload {

  static final String MECHANISM = "unix_socket";
  static final String TO_RECEIVER = "sender->receiver";
  static final String TO_SENDER = "receiver->sender";
  static final String SHM_MECHANISM = "posix_shm";
  static final String MEMFD = "memfd";

  /** The socket file in the run's temp dir. */
  static final String SOCKET = "fd.sock";

  /** The payload of the sendmsg that carries the memfd: its size, a long. */
  static final int HEADER = Long.BYTES;
  static final int TOKEN_BYTES = 1;
  private static final byte TOKEN = 'r';
  private static final byte ACK = 'k';

  private static final long PAGE = 4096;

  @Override
  public String name() {
    return "fd-passing";
  }

  @Override
  public String description() {
    return "descriptor passing: a sender JVM hands a memfd to a receiver JVM (SCM_RIGHTS); records then go through"
        + " the shared mapping";
  }

  /** The memfd of the demo with pid {@code demoPid}: "ipcscope-demo-fd-passing-PID". */
  static String memfdName(long demoPid) {
    return "ipcscope-demo-fd-passing-" + demoPid;
  }

  /** The memfd's size: a record, rounded up to whole pages. */
  static long memfdSize(int recordSize) {
    return (recordSize + PAGE - 1) / PAGE * PAGE;
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    long memfdSize = memfdSize(size);
    String memfd = memfdName(run.pid());
    Address socket = Address.path(run.tempDir().resolve(SOCKET));
    Process receiver = run.startChild("receiver", Run.Stdio.CONTROL,
        List.of(socket.display(), memfd, Long.toString(memfdSize)), Map.of());
    Process sender = run.startChild("sender", Run.Stdio.CONTROL,
        List.of(socket.display(), memfd, Long.toString(memfdSize)), Map.of());
    run.announce();
    run.await(sender, receiver);

    long n = run.resultCount("sender", "records");
    long received = run.resultCount("receiver", "records");
    if (received != n) {
      throw new IOException("fd-passing: sender wrote " + n + " records, receiver checked " + received);
    }
    run.channel(MECHANISM, TO_RECEIVER, sender.pid(), receiver.pid(), run.resultCount("sender", "sends"),
        HEADER + n * TOKEN_BYTES, socket.display());
    run.channel(MECHANISM, TO_SENDER, receiver.pid(), sender.pid(), run.resultCount("receiver", "sends"),
        n * TOKEN_BYTES, socket.display());
    run.fdPass(SHM_MECHANISM, MEMFD, sender.pid(), receiver.pid(), TO_RECEIVER, 1);
    run.sharedMemory(SHM_MECHANISM, MEMFD, Memfd.path(memfd), memfdSize, List.of(sender.pid(), receiver.pid()), 2);
    run.childExitSignals(receiver, sender);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    Address socket = Address.parse(child.arg(0));
    String memfd = child.arg(1);
    long memfdSize = Long.parseLong(child.arg(2));
    switch (role) {
      case "sender" -> send(socket, memfd, memfdSize, child);
      case "receiver" -> receive(socket, memfd, memfdSize, child);
      default -> Workload.super.child(role, child);
    }
  }

  private static void send(Address socket, String name, long size, ChildContext child) throws Exception {
    byte[] record = Records.newRecord(child.size());
    byte[] token = {TOKEN};
    byte[] ack = new byte[1];
    long sends = 0;
    Pacer pacer = child.pacer();
    try (Memfd memfd = Memfd.create(name, size);
        SocketLibc.Mapping mapping = memfd.map();
        UnixSocket s = UnixSocket.connect(socket, UnixSocketWorkload.WAIT_LIMIT_MILLIS)) {
      s.sendWithFd(ByteBuffer.allocate(HEADER).putLong(size).array(), memfd.fd());
      sends++;
      while (pacer.next()) {
        Records.stamp(record, pacer.count());
        mapping.write(0, record);
        sends += s.sendRecord(token);
        if (!s.receiveRecord(ack) || ack[0] != ACK) {
          throw new IOException("no ack from the receiver for record " + pacer.count());
        }
      }
    }
    child.report("records", pacer.count());
    child.report("sends", sends);
  }

  private static void receive(Address socket, String name, long size, ChildContext child) throws Exception {
    byte[] expected = Records.newRecord(child.size());
    byte[] record = new byte[expected.length];
    byte[] header = new byte[HEADER];
    byte[] token = new byte[1];
    byte[] ack = {ACK};
    long records = 0;
    long sends = 0;
    try (UnixSocket listener = UnixSocket.listen(socket);
        UnixSocket s = listener.accept()) {
      try (Memfd memfd = Memfd.adopt(s.receiveWithFd(header), name, size)) {
        checkReceived(memfd, ByteBuffer.wrap(header).getLong());
        try (SocketLibc.Mapping mapping = memfd.map()) {
          while (s.receiveRecord(token)) {
            if (token[0] != TOKEN) {
              throw new IOException("token " + (records + 1) + " is " + token[0] + ", not " + TOKEN);
            }
            records++;
            Records.stamp(expected, records);
            mapping.read(0, record);
            if (!Arrays.equals(expected, record)) {
              throw new IOException("record " + records + " in " + memfd.path() + " is not the one the sender wrote");
            }
            sends += s.sendRecord(ack);
          }
        }
      }
    } finally {
      Files.deleteIfExists(Path.of(socket.name()));
    }
    child.report("records", records);
    child.report("sends", sends);
  }

  /** The descriptor is the sender's memfd (by the name the kernel shows) and the header its size. */
  private static void checkReceived(Memfd memfd, long announcedSize) throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + memfd.fd())).toString();
    String expected = "/" + memfd.path() + " (deleted)";
    if (!link.equals(expected) || announcedSize != memfd.size()) {
      throw new IOException("received " + link + " of " + announcedSize + " bytes, expected " + expected + " of "
          + memfd.size());
    }
  }
}

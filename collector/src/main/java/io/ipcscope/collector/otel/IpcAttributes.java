package io.ipcscope.collector.otel;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Span attribute keys: OpenTelemetry's semantic conventions where one fits (messaging.*, network.*, thread.*), and
 * ipcscope's own {@code ipc.*} namespace for what they have no name for. docs/SEMANTIC-CONVENTIONS.md is the
 * reference.
 */
final class IpcAttributes {

  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<Long> MESSAGING_BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
  static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");

  static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("ipc.mechanism");
  static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("ipc.channel");
  static final AttributeKey<Long> FD = AttributeKey.longKey("ipc.fd");
  static final AttributeKey<Long> PEER_PID = AttributeKey.longKey("ipc.peer.pid");
  static final AttributeKey<String> PEER_COMM = AttributeKey.stringKey("ipc.peer.comm");
  static final AttributeKey<Boolean> PEER_GUESSED = AttributeKey.booleanKey("ipc.peer.guessed");
  static final AttributeKey<String> PAIRING = AttributeKey.stringKey("ipc.pairing");
  static final AttributeKey<Long> UNOBSERVED_BYTES = AttributeKey.longKey("ipc.unobserved_bytes");
  static final AttributeKey<Long> LATENCY_NS = AttributeKey.longKey("ipc.latency_ns");
  static final AttributeKey<Long> BACKLOG_BYTES = AttributeKey.longKey("ipc.backlog_bytes");
  static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("ipc.signal");
  static final AttributeKey<Long> RESULT = AttributeKey.longKey("ipc.result");
  static final AttributeKey<Long> WINDOW_OPERATIONS = AttributeKey.longKey("ipc.window.operations");
  static final AttributeKey<Long> WINDOW_FAILED = AttributeKey.longKey("ipc.window.failed");

  private IpcAttributes() {}
}

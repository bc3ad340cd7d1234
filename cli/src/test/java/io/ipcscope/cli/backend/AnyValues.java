package io.ipcscope.cli.backend;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OTLP attribute values as plain Java values, so tests compare them with {@code Map.of(...)}. */
final class AnyValues {
  private AnyValues() {}

  /** Key to value in wire order; values as {@link #value(AnyValue)} gives them. */
  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      attributes.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return Collections.unmodifiableMap(attributes);
  }

  /**
   * String, Boolean, Long, Double, List of these, Map for a key-value list, byte[] as hex String prefixed "0x"
   * (arrays have no value equality), null for an unset value.
   */
  static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(AnyValues::value).toList();
      case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> "0x" + HexFormat.of().formatHex(value.getBytesValue().toByteArray());
      default -> null;
    };
  }
}

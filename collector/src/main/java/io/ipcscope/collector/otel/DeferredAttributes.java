package io.ipcscope.collector.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A span's attributes, built the first time an exporter reads them: on the export thread, not on the thread that
 * reads the ring buffer. Building and sorting a dozen attributes is most of what a span costs to make, and the
 * inputs (a resolved event, a few numbers) are immutable, so the work can wait for the other core.
 */
final class DeferredAttributes implements Attributes {

  private Supplier<Attributes> builder;
  private volatile Attributes built;

  DeferredAttributes(Supplier<Attributes> builder) {
    this.builder = builder;
  }

  private Attributes delegate() {
    Attributes a = built;
    if (a == null) {
      synchronized (this) {
        a = built;
        if (a == null) {
          a = builder.get();
          built = a;
          builder = null; // let the event it captured go
        }
      }
    }
    return a;
  }

  @Override
  public <T> T get(AttributeKey<T> key) {
    return delegate().get(key);
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    delegate().forEach(consumer);
  }

  @Override
  public int size() {
    return delegate().size();
  }

  @Override
  public boolean isEmpty() {
    return delegate().isEmpty();
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    return delegate().asMap();
  }

  @Override
  public AttributesBuilder toBuilder() {
    return delegate().toBuilder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && delegate().equals(other instanceof DeferredAttributes d ? d.delegate()
        : other);
  }

  @Override
  public int hashCode() {
    return delegate().hashCode();
  }

  @Override
  public String toString() {
    return delegate().toString();
  }
}

/**
 * Real tracing backends for end-to-end tests of the exporters: {@link io.ipcscope.cli.backend.ZipkinServer} runs
 * the Zipkin server (zipkin-server's exec jar, a test dependency whose path cli/pom.xml hands to surefire) as its
 * own JVM; {@link io.ipcscope.cli.backend.OtlpReceiver} decodes OTLP over http/protobuf and gRPC with
 * opentelemetry-proto. Both listen on free loopback ports, give the OTEL_* variables that point an SDK at them,
 * and wait for what arrives asynchronously with a timeout. A receiver that only counted bytes would pass an
 * exporter that sends garbage; these decode and keep every field.
 */
package io.ipcscope.cli.backend;

package io.ipcscope.demo.truth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@link GroundTruth} files (snake_case JSON). Unknown fields are ignored on read. */
public final class GroundTruthJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private GroundTruthJson() {}

  public static GroundTruth read(Path file) throws IOException {
    try {
      return MAPPER.readValue(file.toFile(), GroundTruth.class);
    } catch (IOException e) {
      throw new IOException("reading ground truth " + file + ": " + e.getMessage(), e);
    }
  }

  public static GroundTruth parse(String json) {
    try {
      return MAPPER.readValue(json, GroundTruth.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("parsing ground truth: " + e.getOriginalMessage(), e);
    }
  }

  public static String toJson(GroundTruth truth) {
    try {
      return MAPPER.writeValueAsString(truth);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes atomically: a reader never sees half a file. */
  public static void write(Path file, GroundTruth truth) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, toJson(truth) + "\n");
    Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

package io.ipcscope.agent.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformCacheTest {

  private static final byte[] ORIGINAL = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 1, 2, 3};
  private static final byte[] WOVEN = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 9, 9, 9, 9};

  @TempDir Path dir;

  @Test
  void anotherLoadersClassIsFoundForTheSameOriginalOnly() {
    TransformCache cache = new TransformCache(dir);

    assertThat(cache.isEmpty()).isTrue();
    cache.store("com/sun/jna/Function", false, ORIGINAL, WOVEN);

    assertThat(cache.isEmpty()).isFalse();
    assertThat(cache.find("com/sun/jna/Function", false, ORIGINAL)).isEqualTo(WOVEN);
    byte[] otherBuild = ORIGINAL.clone();
    otherBuild[10] = 4;
    assertThat(cache.find("com/sun/jna/Function", false, otherBuild)).isNull();
    assertThat(cache.find("com/sun/jna/Native", false, ORIGINAL)).isNull();
  }

  @Test
  void aJdkClassIsKeyedByItsNameAloneWhateverClassFileTheJvmRebuilt() {
    TransformCache cache = new TransformCache(dir);
    byte[] rebuiltOtherwise = ORIGINAL.clone();
    rebuiltOtherwise[10] = 4;

    cache.store("java/io/FileInputStream", true, ORIGINAL, WOVEN);

    assertThat(dir.toFile().list()).containsExactly("java.io.FileInputStream.class");
    assertThat(cache.find("java/io/FileInputStream", true, rebuiltOtherwise)).isEqualTo(WOVEN);
  }

  @Test
  void anotherLoadersClassIsNamedByClassLengthAndBothChecksumsAndEndsWithItsOwnChecksum() throws Exception {
    TransformCache cache = new TransformCache(dir);

    cache.store("com/sun/jna/Function", false, ORIGINAL, WOVEN);

    // 11 bytes, then CRC-32 and CRC-32C of ORIGINAL, computed apart (Python's zlib.crc32, a bitwise CRC-32C)
    assertThat(dir.toFile().list()).containsExactly("com.sun.jna.Function-b-908e8ed7444f115a.class");
    byte[] stored = Files.readAllBytes(dir.resolve(dir.toFile().list()[0]));
    assertThat(stored).hasSize(WOVEN.length + 8);
    assertThat(Arrays.copyOfRange(stored, stored.length - 4, stored.length)).isEqualTo("IPCS".getBytes());
  }

  @Test
  void aDamagedOrTruncatedEntryIsNeverReturnedAndIsRemoved() throws Exception {
    TransformCache cache = new TransformCache(dir);
    cache.store("com/sun/jna/Function", false, ORIGINAL, WOVEN);
    Path entry = dir.resolve(dir.toFile().list()[0]);
    byte[] stored = Files.readAllBytes(entry);

    stored[9] ^= 1;
    Files.write(entry, stored);
    assertThat(cache.find("com/sun/jna/Function", false, ORIGINAL)).isNull();
    assertThat(entry).doesNotExist();

    cache.store("com/sun/jna/Function", false, ORIGINAL, WOVEN);
    Files.write(entry, Arrays.copyOf(stored, 6));
    assertThat(cache.find("com/sun/jna/Function", false, ORIGINAL)).isNull();
    assertThat(entry).doesNotExist();
  }

  @Test
  void aStoreThatCannotWriteLeavesNothingAndThrowsNothing() throws Exception {
    TransformCache cache = new TransformCache(dir.resolve("removed"));

    cache.store("com/sun/jna/Function", false, ORIGINAL, WOVEN);

    assertThat(cache.find("com/sun/jna/Function", false, ORIGINAL)).isNull();
    assertThat(dir.toFile().list()).isEmpty();
  }
}

package io.pricecast.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.model.ParityResources;
import io.pricecast.model.network.PlainJavaBiGru;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @Test
    void importingTheVendoredOriginalsReproducesTheCommittedBundleByteForByte() throws IOException {
        ModelBundle committed = KerasImport.firstBundle();

        ModelBundle imported = KerasImport.importFiles(
                ParityResources.path(ParityResources.ORIGINAL_H5),
                ParityResources.path(ParityResources.ORIGINAL_PICKLE),
                KerasImport.FIRST_VERSION_ID,
                committed.metadata().createdAt());

        assertThat(imported.contentSha256()).isEqualTo(committed.contentSha256());
        assertThat(imported.scalersSha256()).isEqualTo(committed.scalersSha256());
        assertThat(imported.toBytes())
                .isEqualTo(Files.readAllBytes(ParityResources.path(ParityResources.COMMITTED_BUNDLE)));
    }

    @Test
    void contentHashIgnoresDescriptiveMetadata() throws IOException {
        ModelBundle committed = KerasImport.firstBundle();

        ModelBundle renamed =
                committed.withMetadata(new BundleMetadata("other-id", Instant.EPOCH, "elsewhere", "unknown"));

        assertThat(renamed.contentSha256()).isEqualTo(committed.contentSha256());
        assertThat(renamed.toBytes()).isNotEqualTo(committed.toBytes());
    }

    @Test
    void roundTripsThroughAFileWithTheSameContentHashAndPredictions(@TempDir Path dir) throws IOException {
        ModelBundle original = KerasImport.firstBundle();
        Path file = dir.resolve("copy" + ModelBundle.FILE_SUFFIX);

        original.write(file);
        ModelBundle copy = ModelBundle.read(file);

        assertThat(copy.contentSha256()).isEqualTo(original.contentSha256());
        assertThat(copy.metadata()).isEqualTo(original.metadata());
        assertThat(copy.hypers()).isEqualTo(original.hypers());
        assertThat(copy.scalers()).isEqualTo(original.scalers());
        assertThat(copy.weights()).isEqualTo(original.weights());
        assertThat(Files.readAllBytes(file)).isEqualTo(original.toBytes());
        float[][][] windows = ParityResources.golden().inputs();
        assertThat(new PlainJavaBiGru(copy.weights()).predict(windows))
                .containsExactly(new PlainJavaBiGru(original.weights()).predict(windows));
    }

    @Test
    void refusesABundleWhoseContentWasAltered() throws IOException {
        byte[] bytes = KerasImport.firstBundle().toBytes();
        // flip one byte inside the last entry (scalers.bin), well before the zip's central directory
        int offset = indexOf(bytes, "PCSC".getBytes()) + 64;
        bytes[offset] ^= 0x01;

        assertThatThrownBy(() -> ModelBundle.read(new ByteArrayInputStream(bytes), "tampered.model.zip"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("tampered.model.zip");
    }

    @Test
    void refusesAFileThatIsNotABundle() {
        assertThatThrownBy(() -> ModelBundle.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "junk.bin"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("junk.bin")
                .hasMessageContaining("missing");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found");
    }
}

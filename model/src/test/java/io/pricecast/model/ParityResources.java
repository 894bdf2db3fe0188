package io.pricecast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.KerasH5Importer;
import io.pricecast.model.scaler.PickledScalerImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The vendored originals and parity data, located on the test classpath. */
public final class ParityResources {

    public static final String ORIGINAL_H5 = "/originals/ds-keras-v1/model.h5";
    public static final String ORIGINAL_PICKLE = "/originals/ds-keras-v1/scaler.pkl";
    public static final String GOLDEN_VECTORS = "/parity/keras_golden_vectors.json";
    public static final String COMMITTED_BUNDLE = "/bundles/ds-keras-v1.model.zip";

    private ParityResources() {}

    public static Path path(String resource) {
        URL url = ParityResources.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " is not on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + resource + " has no file path: " + url, e);
        }
    }

    public static BiGruWeights originalWeights() {
        try {
            return KerasH5Importer.read(path(ORIGINAL_H5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PickledScalerImporter.Imported originalScalers() {
        try (InputStream in = ParityResources.class.getResourceAsStream(ORIGINAL_PICKLE)) {
            return PickledScalerImporter.read(in, ORIGINAL_PICKLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Golden vectors: {@code inputs [64][5][13]} and {@code outputs [64]}. */
    public record Golden(float[][][] inputs, float[] outputs) {}

    public static Golden golden() {
        try (InputStream in = ParityResources.class.getResourceAsStream(GOLDEN_VECTORS)) {
            JsonNode root = new ObjectMapper().readTree(in);
            JsonNode inputs = root.get("inputs");
            float[][][] windows = new float[inputs.size()][][];
            for (int b = 0; b < inputs.size(); b++) {
                windows[b] = new float[inputs.get(b).size()][];
                for (int t = 0; t < inputs.get(b).size(); t++) {
                    JsonNode row = inputs.get(b).get(t);
                    windows[b][t] = new float[row.size()];
                    for (int f = 0; f < row.size(); f++) {
                        windows[b][t][f] = (float) row.get(f).asDouble();
                    }
                }
            }
            JsonNode outputs = root.get("outputs");
            float[] expected = new float[outputs.size()];
            for (int b = 0; b < outputs.size(); b++) {
                JsonNode value = outputs.get(b);
                expected[b] = (float) (value.isArray() ? value.get(0).asDouble() : value.asDouble());
            }
            return new Golden(windows, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

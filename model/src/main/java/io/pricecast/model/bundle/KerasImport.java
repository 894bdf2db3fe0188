package io.pricecast.model.bundle;

import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.KerasH5Importer;
import io.pricecast.model.scaler.PickledScalerImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Turns the data scientist's Keras {@code model.h5} and {@code scaler.pkl} into a {@link ModelBundle}. */
public final class KerasImport {

    /** The id of the first bundle, imported from the notebook's originals. */
    public static final String FIRST_VERSION_ID = "ds-keras-v1";
    /** Classpath location of the committed first bundle. */
    public static final String FIRST_BUNDLE_RESOURCE = "/bundles/" + FIRST_VERSION_ID + ModelBundle.FILE_SUFFIX;

    public static final String TRAINING_DATA =
            "data scientist's notebook (Keras 2.2.4): crypto_filt.csv daily prices, one scaler per known symbol";

    private KerasImport() {}

    /**
     * @param h5        the Keras model file
     * @param pickle    the pickled scaler dict
     * @param versionId the new bundle's version id
     * @param createdAt the bundle's creation time (descriptive; not part of the content sha256)
     */
    public static ModelBundle importFiles(Path h5, Path pickle, String versionId, Instant createdAt)
            throws IOException {
        BiGruWeights weights = KerasH5Importer.read(h5);
        PickledScalerImporter.Imported scalers;
        try (InputStream in = Files.newInputStream(pickle)) {
            scalers = PickledScalerImporter.read(in, pickle.toString());
        }
        String source = "keras-h5 " + h5.getFileName() + " sha256=" + ModelBundle.sha256Hex(Files.readAllBytes(h5))
                + "; pickle " + pickle.getFileName() + " sha256=" + ModelBundle.sha256Hex(Files.readAllBytes(pickle));
        BundleMetadata metadata = new BundleMetadata(versionId, createdAt, source, TRAINING_DATA);
        return ModelBundle.of(metadata, weights, scalers.scalers(), scalers.hypers());
    }

    /** Reads the committed first bundle from the classpath. */
    public static ModelBundle firstBundle() throws IOException {
        try (InputStream in = KerasImport.class.getResourceAsStream(FIRST_BUNDLE_RESOURCE)) {
            if (in == null) {
                throw new IOException("classpath resource " + FIRST_BUNDLE_RESOURCE + " is missing");
            }
            return ModelBundle.read(in, "classpath:" + FIRST_BUNDLE_RESOURCE);
        }
    }
}

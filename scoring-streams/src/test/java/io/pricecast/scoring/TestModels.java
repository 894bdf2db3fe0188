package io.pricecast.scoring;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.ModelEventKind;
import io.pricecast.model.bundle.BundleMetadata;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Model bundles and registry events for tests. */
public final class TestModels {

    public static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");
    /** The network's last layer's bias. */
    public static final String OUTPUT_BIAS = "dense_3/bias";

    private TestModels() {}

    public static ModelBundle first() {
        try {
            return KerasImport.firstBundle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first bundle's content under another version id (same content sha256). */
    public static ModelBundle reimported(String version) {
        return first().withMetadata(new BundleMetadata(version, AT, "test re-import", "test"));
    }

    /** The first bundle with {@code delta} added to the output bias: every raw output moves by exactly delta. */
    public static ModelBundle shifted(String version, float delta) {
        ModelBundle first = first();
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : first.weights().tensors()) {
            if (t.name().equals(OUTPUT_BIAS)) {
                float[] values = t.values();
                for (int i = 0; i < values.length; i++) {
                    values[i] += delta;
                }
                tensors.add(new Tensor(t.name(), t.shape(), values));
            } else {
                tensors.add(t);
            }
        }
        return ModelBundle.of(
                new BundleMetadata(version, AT, "test shift " + delta, "test"),
                BiGruWeights.of(tensors),
                first.scalers(),
                first.hypers());
    }

    public static ModelEvent published(ModelBundle bundle, String sha256) {
        return ModelEvent.newBuilder()
                .setKind(ModelEventKind.PUBLISHED)
                .setVersion(bundle.metadata().versionId())
                .setSha256(sha256)
                .setBundle(ByteBuffer.wrap(bundle.toBytes()))
                .setPreviousVersion(null)
                .setActor("test")
                .setReason("test")
                .setAt(AT)
                .build();
    }

    public static ModelEvent promoted(String version, String sha256) {
        return ModelEvent.newBuilder()
                .setKind(ModelEventKind.PROMOTED)
                .setVersion(version)
                .setSha256(sha256)
                .setBundle(null)
                .setPreviousVersion(KerasImport.FIRST_VERSION_ID)
                .setActor("test")
                .setReason("test")
                .setAt(AT)
                .build();
    }
}

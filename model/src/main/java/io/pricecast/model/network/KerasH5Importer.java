package io.pricecast.model.network;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the data scientist's Keras 2.2.4 {@code model.h5} (layers {@code bidirectional_1},
 * {@code batch_normalization_1}, {@code dense_1..3}) into {@link BiGruWeights}.
 */
public final class KerasH5Importer {

    /** Canonical weight name -> dataset path inside the h5 file. */
    public static final Map<String, String> H5_PATHS = h5Paths();

    private KerasH5Importer() {}

    private static Map<String, String> h5Paths() {
        Map<String, String> paths = new LinkedHashMap<>();
        String gru = "/model_weights/bidirectional_1/bidirectional_1/";
        for (String direction : List.of(BiGruWeights.FORWARD, BiGruWeights.BACKWARD)) {
            for (String part : List.of("kernel", "recurrent_kernel", "bias")) {
                paths.put(direction + "/" + part, gru + direction + "_1/" + part + ":0");
            }
        }
        for (String part : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
            paths.put(
                    "batch_norm/" + part, "/model_weights/batch_normalization_1/batch_normalization_1/" + part + ":0");
        }
        for (String dense : List.of("dense_1", "dense_2", "dense_3")) {
            for (String part : List.of("kernel", "bias")) {
                paths.put(dense + "/" + part, "/model_weights/" + dense + "/" + dense + "/" + part + ":0");
            }
        }
        return java.util.Collections.unmodifiableMap(paths);
    }

    public static BiGruWeights read(Path h5) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        try (HdfFile file = new HdfFile(h5)) {
            for (Map.Entry<String, String> entry : H5_PATHS.entrySet()) {
                tensors.add(tensor(file, h5, entry.getKey(), entry.getValue()));
            }
        } catch (HdfException e) {
            throw new IOException(h5 + ": cannot read HDF5: " + e.getMessage(), e);
        }
        try {
            return BiGruWeights.of(tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(h5 + ": " + e.getMessage(), e);
        }
    }

    private static Tensor tensor(HdfFile file, Path h5, String name, String path) throws IOException {
        Node node;
        try {
            node = file.getByPath(path);
        } catch (HdfException e) {
            throw new IOException(h5 + ": missing dataset " + path + " (weight " + name + ")", e);
        }
        if (!(node instanceof Dataset dataset)) {
            throw new IOException(h5 + ": " + path + " is not a dataset");
        }
        int[] shape = dataset.getDimensions();
        Object data = dataset.getData();
        float[] values = new float[Math.toIntExact(dataset.getSize())];
        int[] cursor = {0};
        flatten(data, values, cursor, h5, path);
        return new Tensor(name, shape, values);
    }

    private static void flatten(Object data, float[] into, int[] cursor, Path h5, String path) throws IOException {
        if (data instanceof float[] row) {
            System.arraycopy(row, 0, into, cursor[0], row.length);
            cursor[0] += row.length;
        } else if (data instanceof Object[] rows) {
            for (Object row : rows) {
                flatten(row, into, cursor, h5, path);
            }
        } else {
            throw new IOException(h5 + ": " + path + " holds " + data.getClass().getName() + ", expected float32");
        }
    }
}

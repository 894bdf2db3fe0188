package io.pricecast.model.scaler;

import io.pricecast.model.features.FeatureSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the data scientist's {@code scaler.pkl}: a dict {@code symbol -> {column -> sklearn StandardScaler}}
 * plus the key {@value #HYPERS_KEY} (kept as plain Java values for the bundle metadata).
 */
public final class PickledScalerImporter {

    public static final String HYPERS_KEY = "model_hypers";

    private PickledScalerImporter() {}

    /** The imported scalers and the training hyper-parameters found beside them. */
    public record Imported(ScalerSet scalers, Map<String, Object> hypers) {}

    /**
     * @param source      the pickle's bytes
     * @param description names the source in error messages (file name)
     */
    public static Imported read(InputStream source, String description) throws IOException {
        NumpyPickle.register();
        Object root;
        Unpickler unpickler = new Unpickler();
        try {
            root = unpickler.load(source);
        } catch (PickleException e) {
            throw new IOException(description + ": cannot unpickle: " + e.getMessage(), e);
        } finally {
            unpickler.close();
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw new IOException(description + ": expected a dict at the top level, got " + typeName(root));
        }
        List<String> columns = FeatureSpec.SCALED_COLUMNS;
        ScalerSet.Builder builder = ScalerSet.builder(columns);
        Map<String, Object> hypers = Map.of();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals(HYPERS_KEY)) {
                hypers = plain(entry.getValue(), description + ": " + HYPERS_KEY);
                continue;
            }
            if (!(entry.getValue() instanceof Map<?, ?> perColumn)) {
                throw new IOException(description + ": symbol " + key + ": expected a dict of scalers, got "
                        + typeName(entry.getValue()));
            }
            double[] means = new double[columns.size()];
            double[] scales = new double[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String where = description + ": symbol " + key + ", column " + columns.get(c);
                Object scaler = perColumn.get(columns.get(c));
                if (!(scaler instanceof Map<?, ?> fields)) {
                    throw new IOException(where + ": missing StandardScaler");
                }
                means[c] = Boolean.FALSE.equals(fields.get("with_mean"))
                        ? 0.0
                        : single(fields.get("mean_"), where + ".mean_");
                scales[c] = Boolean.FALSE.equals(fields.get("with_std")) || fields.get("scale_") == null
                        ? 1.0
                        : single(fields.get("scale_"), where + ".scale_");
            }
            builder.put(key, means, scales);
        }
        return new Imported(builder.build(), hypers);
    }

    private static double single(Object value, String where) throws IOException {
        if (!(value instanceof NumpyPickle.Array array)) {
            throw new IOException(where + ": expected a numpy array, got " + typeName(value));
        }
        double[] values = array.values();
        if (values.length != 1) {
            throw new IOException(where + ": expected one value, got " + values.length);
        }
        return values[0];
    }

    /** Converts pickled values to JSON-friendly Java values with sorted map keys. */
    @SuppressWarnings("unchecked")
    private static <T> T plain(Object value, String where) throws IOException {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return (T) value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(e.getValue(), where + "." + e.getKey()));
            }
            return (T) new LinkedHashMap<>(out);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(plain(item, where));
            }
            return (T) out;
        }
        if (value instanceof Object[] tuple) {
            return plain(List.of(tuple), where);
        }
        throw new IOException(where + ": unsupported value of type " + typeName(value));
    }

    private static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getName();
    }
}

package io.pricecast.model.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.scaler.ScalerSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A versioned, self-describing model: network weights, the per-symbol scaler set, the feature and network
 * specification, and descriptive metadata. Stored as one zip file (format {@value #FORMAT}) with the entries
 * {@value #METADATA_ENTRY}, {@value #SPEC_ENTRY}, {@value #WEIGHTS_ENTRY} and {@value #SCALERS_ENTRY},
 * written uncompressed in that order with a fixed entry time, so equal bundles are equal files.
 *
 * <p>{@link #contentSha256()} is the SHA-256 over, for each of {@value #SPEC_ENTRY}, {@value #WEIGHTS_ENTRY},
 * {@value #SCALERS_ENTRY} in that order: the entry name in UTF-8, one zero byte, the entry length as a
 * little-endian int64, then the entry bytes. It covers everything that determines a prediction and nothing
 * descriptive (version id, creation time, source, training-data text), see docs/model.md.
 */
public final class ModelBundle {

    public static final String FORMAT = "pricecast-model-bundle/1";
    /** Names the network semantics implemented by {@code io.pricecast.model.network}. */
    public static final String ARCHITECTURE =
            "bigru50-hardsigmoid-resetbefore+batchnorm+dense20tanh+dense10relu+dense1 (keras 2.2.4 semantics)";

    public static final String METADATA_ENTRY = "metadata.json";
    public static final String SPEC_ENTRY = "spec.json";
    public static final String WEIGHTS_ENTRY = "weights.bin";
    public static final String SCALERS_ENTRY = "scalers.bin";
    /** File name suffix of bundle files. */
    public static final String FILE_SUFFIX = ".model.zip";
    /** Zip entry time of every entry (a DOS timestamp cannot be earlier). */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final BundleMetadata metadata;
    private final String featureSpecVersion;
    private final Map<String, Object> hypers;
    private final BiGruWeights weights;
    private final ScalerSet scalers;
    private final byte[] spec;
    private final byte[] weightBytes;
    private final byte[] scalerBytes;
    private final String contentSha256;
    private final String weightsSha256;
    private final String scalersSha256;

    private ModelBundle(
            BundleMetadata metadata,
            String featureSpecVersion,
            Map<String, Object> hypers,
            BiGruWeights weights,
            ScalerSet scalers) {
        this.metadata = metadata;
        this.featureSpecVersion = featureSpecVersion;
        this.hypers = hypers;
        this.weights = weights;
        this.scalers = scalers;
        this.spec = specJson(featureSpecVersion, hypers);
        this.weightBytes = BinaryCodec.encodeWeights(weights);
        this.scalerBytes = BinaryCodec.encodeScalers(scalers);
        this.contentSha256 = contentHash(spec, weightBytes, scalerBytes);
        // hashed once: the scorer puts the scalers' hash on every prediction, and a 10,000-symbol scaler set is
        // hundreds of kilobytes
        this.weightsSha256 = sha256Hex(weightBytes);
        this.scalersSha256 = sha256Hex(scalerBytes);
    }

    /** A bundle of the current feature spec. {@code hypers} are training hyper-parameters (JSON-compatible values). */
    public static ModelBundle of(
            BundleMetadata metadata, BiGruWeights weights, ScalerSet scalers, Map<String, Object> hypers) {
        if (!scalers.columns().equals(FeatureSpec.SCALED_COLUMNS)) {
            throw new IllegalArgumentException("scaler columns " + scalers.columns()
                    + " differ from the feature spec's " + FeatureSpec.SCALED_COLUMNS);
        }
        return new ModelBundle(metadata, FeatureSpec.VERSION, sorted(hypers), weights, scalers);
    }

    public BundleMetadata metadata() {
        return metadata;
    }

    public String featureSpecVersion() {
        return featureSpecVersion;
    }

    public Map<String, Object> hypers() {
        return hypers;
    }

    public BiGruWeights weights() {
        return weights;
    }

    public ScalerSet scalers() {
        return scalers;
    }

    /** SHA-256 (hex) of the prediction-determining content; the model's identity in lineage records. */
    public String contentSha256() {
        return contentSha256;
    }

    /** SHA-256 (hex) of the canonical scaler set encoding ({@value #SCALERS_ENTRY}). */
    public String scalersSha256() {
        return scalersSha256;
    }

    /** SHA-256 (hex) of the canonical weight encoding ({@value #WEIGHTS_ENTRY}). */
    public String weightsSha256() {
        return weightsSha256;
    }

    /** The same content under new descriptive metadata (same content sha256). */
    public ModelBundle withMetadata(BundleMetadata newMetadata) {
        return new ModelBundle(newMetadata, featureSpecVersion, hypers, weights, scalers);
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        storedEntry(zip, METADATA_ENTRY, metadataJson());
        storedEntry(zip, SPEC_ENTRY, spec);
        storedEntry(zip, WEIGHTS_ENTRY, weightBytes);
        storedEntry(zip, SCALERS_ENTRY, scalerBytes);
        zip.finish();
        out.flush();
    }

    /** The bundle file's bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    public static ModelBundle read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads and verifies a bundle: every hash recorded in {@value #METADATA_ENTRY} must match the content.
     *
     * @param description names the source in error messages
     */
    public static ModelBundle read(InputStream in, String description) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
        try {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (ZipException e) {
            throw new IOException(description + ": corrupt bundle file: " + e.getMessage(), e);
        }
        for (String name : new String[] {METADATA_ENTRY, SPEC_ENTRY, WEIGHTS_ENTRY, SCALERS_ENTRY}) {
            if (!entries.containsKey(name)) {
                throw new IOException(description + ": not a model bundle: entry " + name + " is missing");
            }
        }
        JsonNode metadataJson = JSON.readTree(entries.get(METADATA_ENTRY));
        JsonNode specJson = JSON.readTree(entries.get(SPEC_ENTRY));
        String format = specJson.path("format").asText();
        if (!FORMAT.equals(format)) {
            throw new IOException(
                    description + ": unsupported bundle format '" + format + "', this build reads " + FORMAT);
        }
        String featureSpec = specJson.path("featureSpecVersion").asText();
        if (!FeatureSpec.VERSION.equals(featureSpec)) {
            throw new IOException(description + ": feature spec " + featureSpec + " is not supported by this build ("
                    + FeatureSpec.VERSION + ")");
        }
        BundleMetadata metadata;
        try {
            metadata = new BundleMetadata(
                    required(metadataJson, "versionId", description),
                    Instant.parse(required(metadataJson, "createdAt", description)),
                    required(metadataJson, "source", description),
                    required(metadataJson, "trainingData", description));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IOException(description + ": invalid metadata: " + e.getMessage(), e);
        }
        Map<String, Object> hypers = JSON.convertValue(specJson.path("hypers"), Map.class);
        ModelBundle bundle = new ModelBundle(
                metadata,
                featureSpec,
                sorted(hypers),
                BinaryCodec.decodeWeights(entries.get(WEIGHTS_ENTRY), description + "!" + WEIGHTS_ENTRY),
                BinaryCodec.decodeScalers(entries.get(SCALERS_ENTRY), description + "!" + SCALERS_ENTRY));
        verify(description, "spec.json bytes", sha256Hex(entries.get(SPEC_ENTRY)), sha256Hex(bundle.spec));
        verify(
                description,
                "contentSha256",
                required(metadataJson, "contentSha256", description),
                bundle.contentSha256);
        verify(
                description,
                "weightsSha256",
                required(metadataJson, "weightsSha256", description),
                bundle.weightsSha256());
        verify(
                description,
                "scalersSha256",
                required(metadataJson, "scalersSha256", description),
                bundle.scalersSha256());
        return bundle;
    }

    private static void verify(String description, String what, String recorded, String actual) throws IOException {
        if (!recorded.equals(actual)) {
            throw new IOException(description + ": " + what + " mismatch: recorded " + recorded + ", content gives "
                    + actual + " (the bundle is corrupt or was edited)");
        }
    }

    private static String required(JsonNode node, String field, String description) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException(description + ": " + METADATA_ENTRY + " lacks the text field " + field);
        }
        return value.asText();
    }

    private byte[] metadataJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("versionId", metadata.versionId());
        node.put("createdAt", metadata.createdAt().toString());
        node.put("source", metadata.source());
        node.put("trainingData", metadata.trainingData());
        node.put("featureSpecVersion", featureSpecVersion);
        node.put("contentSha256", contentSha256);
        node.put("weightsSha256", weightsSha256());
        node.put("scalersSha256", scalersSha256());
        node.put("symbols", scalers.size());
        node.put(
                "hashed",
                "sha256 over (name UTF-8, 0x00, int64 LE length, bytes) of " + SPEC_ENTRY + ", " + WEIGHTS_ENTRY + ", "
                        + SCALERS_ENTRY);
        return toJson(node);
    }

    private static byte[] specJson(String featureSpecVersion, Map<String, Object> hypers) {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("featureSpecVersion", featureSpecVersion);
        node.putPOJO("featureColumns", FeatureSpec.FEATURE_COLUMNS);
        node.putPOJO("scaledColumns", FeatureSpec.SCALED_COLUMNS);
        node.put("windowLength", FeatureSpec.WINDOW_LENGTH);
        node.put("targetColumn", FeatureSpec.TARGET_COLUMN);
        node.put("architecture", ARCHITECTURE);
        node.put("weightsEncoding", BinaryCodec.WEIGHTS_MAGIC + "/" + BinaryCodec.VERSION + " little-endian float32");
        node.put("scalersEncoding", BinaryCodec.SCALERS_MAGIC + "/" + BinaryCodec.VERSION + " little-endian float64");
        node.putPOJO("hypers", hypers);
        return toJson(node);
    }

    private static byte[] toJson(ObjectNode node) {
        try {
            // fixed line separator so the bytes do not depend on the platform
            String text = JSON.writeValueAsString(node).replace("\r\n", "\n") + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise bundle JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sorted(Map<String, Object> map) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e :
                Objects.requireNonNullElse(map, Map.<String, Object>of()).entrySet()) {
            Object value = e.getValue();
            out.put(e.getKey(), value instanceof Map<?, ?> nested ? sorted((Map<String, Object>) nested) : value);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static void storedEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setTimeLocal(ENTRY_TIME);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String contentHash(byte[] spec, byte[] weights, byte[] scalers) {
        MessageDigest digest = sha256();
        hashEntry(digest, SPEC_ENTRY, spec);
        hashEntry(digest, WEIGHTS_ENTRY, weights);
        hashEntry(digest, SCALERS_ENTRY, scalers);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void hashEntry(MessageDigest digest, String name, byte[] bytes) {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(ByteBuffer.allocate(Long.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(bytes.length)
                .array());
        digest.update(bytes);
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + metadata.versionId() + " sha256=" + contentSha256 + "]";
    }
}

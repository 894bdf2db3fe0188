package io.pricecast.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The {@code lineage} column of {@code prices_by_series} and {@code predictions_by_series}: everything about a row
 * that users read only whole (through the lineage route, the trainer's offset ranges, an audit in cqlsh), as one
 * compact JSON object instead of a cell per field. Written by the sink, read by the sink's lineage route and the
 * trainer. Absent values are left out. Field names are the columns they replace (docs/sink-service.md).
 */
public final class RowLineage {

    public static final String SLUG = "slug";
    public static final String NAME = "name";
    public static final String SOURCE = "source";
    public static final String UPLOAD_ID = "upload_id";
    public static final String FILE_LINE = "file_line";
    public static final String FILE_SHA256 = "file_sha256";
    public static final String RAW_TOPIC = "raw_topic";
    public static final String RAW_PARTITION = "raw_partition";
    public static final String RAW_OFFSET = "raw_offset";
    public static final String INGEST_VERSION = "ingest_version";
    public static final String RECEIVED_AT = "received_at";
    public static final String KAFKA_TOPIC = "kafka_topic";
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";
    public static final String SINK_VERSION = "sink_version";
    public static final String WRITTEN_AT = "written_at";
    public static final String MODEL_OUTPUT = "model_output";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String SCALER_SHA256 = "scaler_sha256";
    public static final String FEATURE_SPEC = "feature_spec";
    public static final String WINDOW = "window";
    public static final String PREVIOUS = "previous";
    public static final String DATE = "date";
    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private RowLineage() {}

    /**
     * Where the sink read a record, and which sink wrote its row.
     *
     * @param topic       topic
     * @param partition   partition
     * @param offset      offset
     * @param sinkVersion the sink's code version
     * @param writtenAt   when the row was written
     */
    public record Stored(String topic, int partition, long offset, String sinkVersion, Instant writtenAt) {}

    /** @return the lineage of a price row */
    public static String ofPrice(PriceRecord p, Stored stored) {
        return write(g -> {
            text(g, SLUG, p.getSlug());
            text(g, NAME, p.getName());
            text(g, SOURCE, p.getSource() == null ? null : p.getSource().name());
            origin(g, p.getUploadId(), p.getFileLine(), p.getRawTopic(), p.getRawPartition(), p.getRawOffset());
            text(g, FILE_SHA256, p.getFileSha256());
            text(g, INGEST_VERSION, p.getIngestVersion());
            instant(g, RECEIVED_AT, p.getReceivedAt());
            stored(g, stored);
        });
    }

    /** @return the lineage of a forecast row */
    public static String ofForecast(Prediction p, Stored stored) {
        return write(g -> {
            g.writeNumberField(MODEL_OUTPUT, p.getModelOutput());
            text(g, MODEL_SHA256, p.getModelSha256());
            text(g, SCALER_SHA256, p.getScalerSha256());
            text(g, FEATURE_SPEC, p.getFeatureSpec());
            g.writeArrayFieldStart(WINDOW);
            for (InputRef ref : p.getWindow()) {
                ref(g, ref);
            }
            g.writeEndArray();
            if (p.getPrevious() != null) {
                g.writeFieldName(PREVIOUS);
                ref(g, p.getPrevious());
            }
            origin(g, p.getUploadId(), p.getFileLine(), p.getRawTopic(), p.getRawPartition(), p.getRawOffset());
            text(g, INGEST_VERSION, p.getIngestVersion());
            instant(g, RECEIVED_AT, p.getReceivedAt());
            stored(g, stored);
        });
    }

    /**
     * @param json a lineage column's text
     * @return it as a tree (an empty object for null)
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public static JsonNode parse(String json) {
        if (json == null) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a lineage column must hold a JSON object: " + json);
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("a lineage column must hold a JSON object: " + e.getMessage(), e);
        }
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a lineage column", e);
        }
        return out.toString();
    }

    private static void origin(
            JsonGenerator g, String uploadId, Long fileLine, String rawTopic, Integer rawPartition, Long rawOffset)
            throws IOException {
        text(g, UPLOAD_ID, uploadId);
        number(g, FILE_LINE, fileLine);
        text(g, RAW_TOPIC, rawTopic);
        number(g, RAW_PARTITION, rawPartition == null ? null : rawPartition.longValue());
        number(g, RAW_OFFSET, rawOffset);
    }

    private static void stored(JsonGenerator g, Stored stored) throws IOException {
        g.writeStringField(KAFKA_TOPIC, stored.topic());
        g.writeNumberField(KAFKA_PARTITION, stored.partition());
        g.writeNumberField(KAFKA_OFFSET, stored.offset());
        text(g, SINK_VERSION, stored.sinkVersion());
        instant(g, WRITTEN_AT, stored.writtenAt());
    }

    private static void ref(JsonGenerator g, InputRef ref) throws IOException {
        g.writeStartObject();
        g.writeStringField(DATE, ref.getDate().toString());
        g.writeStringField(TOPIC, ref.getTopic());
        g.writeNumberField(PARTITION, ref.getPartition());
        g.writeNumberField(OFFSET, ref.getOffset());
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator g, String name, Long value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.toString());
        }
    }
}

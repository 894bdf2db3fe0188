package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricecast.schemas.RowLineage;

/**
 * The lineage of a stored price or forecast row as one JSON object, whichever way the row was written: the
 * {@code lineage} column of rows written since V3, or the same fields rebuilt from the V1 columns of rows written
 * before it. Readers ({@link LineageQueries}) read one shape.
 */
final class StoredLineage {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** V1 columns of both tables that V3 folded into {@code lineage}, with their JSON field names. */
    private static final String[] TEXT_COLUMNS = {
        RowLineage.SLUG,
        RowLineage.NAME,
        RowLineage.SOURCE,
        RowLineage.UPLOAD_ID,
        RowLineage.FILE_SHA256,
        RowLineage.RAW_TOPIC,
        RowLineage.INGEST_VERSION,
        RowLineage.KAFKA_TOPIC,
        RowLineage.SINK_VERSION,
        RowLineage.MODEL_SHA256,
        RowLineage.SCALER_SHA256,
        RowLineage.FEATURE_SPEC
    };

    private static final String[] BIGINT_COLUMNS = {RowLineage.FILE_LINE, RowLineage.RAW_OFFSET, RowLineage.KAFKA_OFFSET
    };
    private static final String[] INT_COLUMNS = {RowLineage.RAW_PARTITION, RowLineage.KAFKA_PARTITION};
    private static final String[] TIME_COLUMNS = {RowLineage.RECEIVED_AT, RowLineage.WRITTEN_AT};

    private StoredLineage() {}

    /**
     * @param row a row of {@code prices_by_series} or {@code predictions_by_series} selected with {@code *}, or with
     *            {@code lineage} and the V1 columns its reader needs
     * @return its lineage
     */
    static JsonNode of(Row row) {
        ColumnDefinitions columns = row.getColumnDefinitions();
        if (columns.contains("lineage") && !row.isNull("lineage")) {
            return RowLineage.parse(row.getString("lineage"));
        }
        ObjectNode l = JSON.objectNode();
        for (String c : TEXT_COLUMNS) {
            if (columns.contains(c) && !row.isNull(c)) {
                l.put(c, row.getString(c));
            }
        }
        for (String c : BIGINT_COLUMNS) {
            if (columns.contains(c) && !row.isNull(c)) {
                l.put(c, row.getLong(c));
            }
        }
        for (String c : INT_COLUMNS) {
            if (columns.contains(c) && !row.isNull(c)) {
                l.put(c, row.getInt(c));
            }
        }
        for (String c : TIME_COLUMNS) {
            if (columns.contains(c) && !row.isNull(c)) {
                l.put(c, row.getInstant(c).toString());
            }
        }
        if (columns.contains(RowLineage.MODEL_OUTPUT) && !row.isNull(RowLineage.MODEL_OUTPUT)) {
            l.put(RowLineage.MODEL_OUTPUT, row.getDouble(RowLineage.MODEL_OUTPUT));
        }
        if (columns.contains(RowLineage.WINDOW) && !row.isNull(RowLineage.WINDOW)) {
            ArrayNode window = l.putArray(RowLineage.WINDOW);
            for (UdtValue ref : row.getList(RowLineage.WINDOW, UdtValue.class)) {
                window.add(ref(ref));
            }
        }
        if (columns.contains(RowLineage.PREVIOUS) && !row.isNull(RowLineage.PREVIOUS)) {
            l.set(RowLineage.PREVIOUS, ref(row.getUdtValue(RowLineage.PREVIOUS)));
        }
        return l;
    }

    private static ObjectNode ref(UdtValue ref) {
        ObjectNode m = JSON.objectNode();
        m.put(RowLineage.DATE, ref.getLocalDate("date").toString());
        m.put(RowLineage.TOPIC, ref.getString("topic"));
        m.put(RowLineage.PARTITION, ref.getInt("kafka_partition"));
        m.put(RowLineage.OFFSET, ref.getLong("kafka_offset"));
        return m;
    }
}

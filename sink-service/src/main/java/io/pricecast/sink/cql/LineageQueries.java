package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.schemas.PredictionId;
import io.pricecast.schemas.Rescoring;
import io.pricecast.schemas.RowLineage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lineage look-up: one forecast with everything needed to reproduce it, as a JSON-ready map.
 */
public final class LineageQueries {

    /** The default forecast of a day: a live one before a re-scored one, then the latest scored. */
    private static final Comparator<Row> LATEST_SCORED = Comparator.comparing(
                    (Row r) -> !Rescoring.isRescore(r.getString("scoring_version")))
            .thenComparing(
                    (Row r) -> Optional.ofNullable(r.getInstant("scored_at")).orElse(Instant.EPOCH))
            .thenComparing(r -> r.getString("model_version"));

    private final CqlSession session;
    private final PreparedStatement byDate;
    private final PreparedStatement actual;
    private final PreparedStatement rejectionCounts;
    private final PreparedStatement uploadPredictions;

    /**
     * @param session  the session
     * @param keyspace keyspace
     */
    public LineageQueries(CqlSession session, String keyspace) {
        this.session = session;
        this.byDate = session.prepare("SELECT * FROM " + keyspace + "." + SinkTables.PREDICTIONS_BY_SERIES
                + " WHERE dataset = ? AND symbol = ? AND target_date = ?");
        this.actual = session.prepare("SELECT open, lineage, kafka_topic, kafka_partition, kafka_offset FROM "
                + keyspace + "." + SinkTables.PRICES_BY_SERIES + " WHERE dataset = ? AND symbol = ? AND date = ?");
        this.rejectionCounts = session.prepare("SELECT reason, count(*) FROM " + keyspace + "."
                + SinkTables.REJECTIONS_BY_UPLOAD + " WHERE upload_id = ? GROUP BY reason");
        this.uploadPredictions = session.prepare(
                "SELECT forecasts FROM " + keyspace + "." + SinkTables.UPLOAD_VERDICTS + " WHERE upload_id = ?");
    }

    /**
     * @param dataset    dataset
     * @param symbol     symbol
     * @param targetDate the forecast's target date
     * @param model      a model version, or null for the latest-scored forecast
     * @return the forecast and its lineage, when there is one
     */
    public Optional<Map<String, Object>> forecast(String dataset, String symbol, LocalDate targetDate, String model) {
        List<Row> rows =
                session.execute(byDate.bind(dataset, symbol, targetDate)).all();
        Optional<Row> chosen = model == null
                ? rows.stream().max(LATEST_SCORED)
                : rows.stream()
                        .filter(r -> model.equals(r.getString("model_version")))
                        .findFirst();
        return chosen.map(r -> json(r, rows));
    }

    /**
     * @param predictionId a prediction id, which names its row
     * @return that forecast and its lineage, when there is one
     */
    public Optional<Map<String, Object>> forecast(String predictionId) {
        return PredictionId.parse(predictionId)
                .flatMap(id -> forecast(id.dataset(), id.symbol(), id.targetDate(), id.modelVersion()));
    }

    /**
     * @param uploadId an upload id
     * @return the upload's refused records by reason and its forecast count
     */
    public Map<String, Object> upload(String uploadId) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        long rejected = 0;
        for (Row r : session.execute(rejectionCounts.bind(uploadId))) {
            byReason.put(r.getString(0), r.getLong(1));
            rejected += r.getLong(1);
        }
        long forecasts = 0;
        for (Row r : session.execute(uploadPredictions.bind(uploadId))) {
            forecasts += r.getLong(0);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upload_id", uploadId);
        m.put("predictions", forecasts);
        m.put("rejected", rejected);
        m.put("rejected_by_reason", byReason);
        return m;
    }

    private Map<String, Object> json(Row r, List<Row> sameDate) {
        JsonNode lineage = StoredLineage.of(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prediction_id", r.getString("prediction_id"));
        m.put("dataset", r.getString("dataset"));
        m.put("symbol", r.getString("symbol"));
        m.put("base_date", text(r.getLocalDate("base_date")));
        m.put("target_date", text(r.getLocalDate("target_date")));
        m.put("pred_open", r.getDouble("pred_open"));
        m.put("base_open", r.getDouble("base_open"));
        m.put("model_output", number(lineage, RowLineage.MODEL_OUTPUT));
        Row actualRow = session.execute(
                        actual.bind(r.getString("dataset"), r.getString("symbol"), r.getLocalDate("target_date")))
                .one();
        m.put("val_open", actualRow == null ? null : actualRow.getDouble(0));
        m.put("val_open_record", actualRow == null ? null : stored(StoredLineage.of(actualRow)));

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("version", r.getString("model_version"));
        model.put("sha256", text(lineage, RowLineage.MODEL_SHA256));
        model.put("scaler_sha256", text(lineage, RowLineage.SCALER_SHA256));
        model.put("feature_spec", text(lineage, RowLineage.FEATURE_SPEC));
        m.put("model", model);

        List<Map<String, Object>> window = new ArrayList<>();
        for (JsonNode ref : lineage.path(RowLineage.WINDOW)) {
            window.add(inputRef(ref));
        }
        m.put("window", window);
        JsonNode previous = lineage.get(RowLineage.PREVIOUS);
        m.put("previous", previous == null || previous.isNull() ? null : inputRef(previous));

        Map<String, Object> source = new LinkedHashMap<>();
        source.put("upload_id", text(lineage, RowLineage.UPLOAD_ID));
        source.put("file_line", integer(lineage, RowLineage.FILE_LINE));
        source.put("raw_topic", text(lineage, RowLineage.RAW_TOPIC));
        source.put("raw_partition", integer(lineage, RowLineage.RAW_PARTITION));
        source.put("raw_offset", integer(lineage, RowLineage.RAW_OFFSET));
        m.put("base_record_source", source);

        Map<String, Object> code = new LinkedHashMap<>();
        code.put("ingest", text(lineage, RowLineage.INGEST_VERSION));
        code.put("scoring", r.getString("scoring_version"));
        code.put("sink", text(lineage, RowLineage.SINK_VERSION));
        m.put("code_versions", code);

        Map<String, Object> times = new LinkedHashMap<>();
        times.put("received_at", text(lineage, RowLineage.RECEIVED_AT));
        times.put("scored_at", text(r.getInstant("scored_at")));
        times.put("written_at", text(lineage, RowLineage.WRITTEN_AT));
        m.put("timestamps", times);

        m.put("prediction_record", stored(lineage));
        m.put(
                "model_versions_for_date",
                sameDate.stream().map(x -> x.getString("model_version")).toList());
        return m;
    }

    private static Map<String, Object> inputRef(JsonNode ref) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", ref.path(RowLineage.DATE).asText());
        m.putAll(position(
                ref.path(RowLineage.TOPIC).asText(),
                ref.path(RowLineage.PARTITION).asInt(),
                ref.path(RowLineage.OFFSET).asLong()));
        return m;
    }

    /** @return where the sink read the row's record, from its lineage */
    private static Map<String, Object> stored(JsonNode lineage) {
        return position(
                text(lineage, RowLineage.KAFKA_TOPIC),
                lineage.path(RowLineage.KAFKA_PARTITION).asInt(),
                lineage.path(RowLineage.KAFKA_OFFSET).asLong());
    }

    private static String text(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long integer(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static Double number(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static Map<String, Object> position(String topic, int partition, long offset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("partition", partition);
        m.put("offset", offset);
        return m;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

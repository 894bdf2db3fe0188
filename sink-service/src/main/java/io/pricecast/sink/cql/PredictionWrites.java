package io.pricecast.sink.cql;

import static io.pricecast.sink.cql.Bindings.bigint;
import static io.pricecast.sink.cql.Bindings.integer;
import static io.pricecast.sink.cql.Bindings.text;
import static io.pricecast.sink.cql.Bindings.timestamp;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The upserts of one {@code Prediction}: its row with full lineage in {@code predictions_by_series},
 * its row in {@code predictions_by_upload} when it came from an upload, and its series in the catalogue
 * the first time. (Its prediction id names its {@code predictions_by_series} row, so no pointer row is
 * written: {@code predictions_by_id} of V1 is retired.)
 */
public final class PredictionWrites {

    private final PreparedStatement insert;
    private final PreparedStatement insertByUpload;
    private final UserDefinedType inputRef;
    private final SymbolCatalog symbols;
    private final String sinkVersion;

    /**
     * @param session     the session
     * @param keyspace    keyspace
     * @param symbols     the symbol catalogue
     * @param sinkVersion code version stamped on every row
     */
    public PredictionWrites(CqlSession session, String keyspace, SymbolCatalog symbols, String sinkVersion) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.PREDICTIONS_BY_SERIES
                + " (dataset, symbol, target_date, model_version, prediction_id, base_date, pred_open, base_open,"
                + " model_output, model_sha256, scaler_sha256, feature_spec, window, previous, upload_id, file_line,"
                + " raw_topic, raw_partition, raw_offset, ingest_version, scoring_version, received_at, scored_at,"
                + " kafka_topic, kafka_partition, kafka_offset, sink_version, written_at) VALUES (:dataset, :symbol,"
                + " :target_date, :model_version, :prediction_id, :base_date, :pred_open, :base_open, :model_output,"
                + " :model_sha256, :scaler_sha256, :feature_spec, :window, :previous, :upload_id, :file_line,"
                + " :raw_topic, :raw_partition, :raw_offset, :ingest_version, :scoring_version, :received_at,"
                + " :scored_at, :kafka_topic, :kafka_partition, :kafka_offset, :sink_version, :written_at)");
        this.insertByUpload = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.PREDICTIONS_BY_UPLOAD
                + " (upload_id, dataset, symbol, target_date, model_version, prediction_id, file_line, pred_open)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        this.inputRef = (UserDefinedType) ((ListType) insert.getVariableDefinitions().get("window").getType())
                .getElementType();
        this.symbols = symbols;
        this.sinkVersion = sinkVersion;
    }

    /**
     * @param p        the prediction
     * @param position where it was read
     * @return its upserts
     */
    public List<CqlWrite> writes(Prediction p, KafkaPosition position) {
        List<UdtValue> window = new ArrayList<>(p.getWindow().size());
        for (InputRef ref : p.getWindow()) {
            window.add(inputRef(ref));
        }
        BoundStatementBuilder b = insert.boundStatementBuilder()
                .setString("dataset", p.getDataset())
                .setString("symbol", p.getSymbol())
                .setLocalDate("target_date", p.getTargetDate())
                .setString("model_version", p.getModelVersion())
                .setString("prediction_id", p.getPredictionId())
                .setLocalDate("base_date", p.getBaseDate())
                .setDouble("pred_open", p.getPredOpen())
                .setDouble("base_open", p.getBaseOpen())
                .setDouble("model_output", p.getModelOutput())
                .setString("model_sha256", p.getModelSha256())
                .setString("scaler_sha256", p.getScalerSha256())
                .setString("feature_spec", p.getFeatureSpec())
                .setList("window", window, UdtValue.class)
                .setString("ingest_version", p.getIngestVersion())
                .setString("scoring_version", p.getScoringVersion())
                .setString("sink_version", sinkVersion)
                .setInstant("written_at", Instant.now());
        if (p.getPrevious() != null) {
            b.setUdtValue("previous", inputRef(p.getPrevious()));
        }
        text(b, "upload_id", p.getUploadId());
        bigint(b, "file_line", p.getFileLine());
        text(b, "raw_topic", p.getRawTopic());
        integer(b, "raw_partition", p.getRawPartition());
        bigint(b, "raw_offset", p.getRawOffset());
        timestamp(b, "received_at", p.getReceivedAt());
        timestamp(b, "scored_at", p.getScoredAt());
        Bindings.position(b, position);

        List<CqlWrite> writes = new ArrayList<>(3);
        writes.add(new CqlWrite(SinkTables.PREDICTIONS_BY_SERIES, b.setIdempotence(true).build()));
        if (p.getUploadId() != null) {
            writes.add(new CqlWrite(SinkTables.PREDICTIONS_BY_UPLOAD, insertByUpload.bind(p.getUploadId(),
                    p.getDataset(), p.getSymbol(), p.getTargetDate(), p.getModelVersion(), p.getPredictionId(),
                    p.getFileLine(), p.getPredOpen()).setIdempotent(true)));
        }
        symbols.upsertIfNew(p.getDataset(), p.getSymbol())
                .ifPresent(s -> writes.add(new CqlWrite(SinkTables.SYMBOLS_BY_DATASET, s)));
        return writes;
    }

    private UdtValue inputRef(InputRef ref) {
        return inputRef.newValue()
                .setLocalDate("date", ref.getDate())
                .setString("topic", ref.getTopic())
                .setInt("kafka_partition", ref.getPartition())
                .setLong("kafka_offset", ref.getOffset());
    }
}

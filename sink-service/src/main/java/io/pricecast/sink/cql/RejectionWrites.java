package io.pricecast.sink.cql;

import static io.pricecast.sink.cql.Bindings.bigint;
import static io.pricecast.sink.cql.Bindings.date;
import static io.pricecast.sink.cql.Bindings.integer;
import static io.pricecast.sink.cql.Bindings.text;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.RejectedRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The upsert of one {@code RejectedRecord} into {@code rejections_by_upload}. */
public final class RejectionWrites {

    /** Partition prefix of refused records that came from no upload (console, scoring, sink): one partition per UTC day. */
    public static final String NO_UPLOAD_PREFIX = "no-upload-";

    private final PreparedStatement insert;

    /**
     * @param session  the session
     * @param keyspace keyspace
     */
    public RejectionWrites(CqlSession session, String keyspace) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.REJECTIONS_BY_UPLOAD
                + " (upload_id, reason, kafka_partition, kafka_offset, kafka_topic, dataset, symbol, date, stage, field,"
                + " message, raw, source, file_line, raw_topic, raw_partition, raw_offset, code_version, rejected_at,"
                + " written_at) VALUES (:upload_id, :reason, :kafka_partition, :kafka_offset, :kafka_topic, :dataset,"
                + " :symbol, :date, :stage, :field, :message, :raw, :source, :file_line, :raw_topic, :raw_partition,"
                + " :raw_offset, :code_version, :rejected_at, :written_at)");
    }

    /**
     * @param r the refused record
     * @return the partition key it is stored under: its upload id, or {@code no-upload-YYYY-MM-DD} of its rejection day
     */
    public static String uploadKey(RejectedRecord r) {
        return r.getUploadId() != null
                ? r.getUploadId()
                : NO_UPLOAD_PREFIX + r.getRejectedAt().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * @param r        the refused record
     * @param position where it was read
     * @return its upsert
     */
    public List<CqlWrite> writes(RejectedRecord r, KafkaPosition position) {
        BoundStatementBuilder b = insert.boundStatementBuilder()
                .setString("upload_id", uploadKey(r))
                .setString("reason", r.getReason())
                .setString("dataset", r.getDataset())
                .setString("stage", r.getStage())
                .setString("message", r.getMessage())
                .setString("source", r.getSource().name())
                .setString("code_version", r.getCodeVersion())
                .setInstant("rejected_at", r.getRejectedAt())
                .setInstant("written_at", Instant.now());
        text(b, "symbol", r.getSymbol());
        date(b, "date", r.getDate());
        text(b, "field", r.getField());
        text(b, "raw", r.getRaw());
        bigint(b, "file_line", r.getFileLine());
        text(b, "raw_topic", r.getRawTopic());
        integer(b, "raw_partition", r.getRawPartition());
        bigint(b, "raw_offset", r.getRawOffset());
        Bindings.position(b, position);
        return List.of(new CqlWrite(
                SinkTables.REJECTIONS_BY_UPLOAD, b.setIdempotence(true).build()));
    }
}

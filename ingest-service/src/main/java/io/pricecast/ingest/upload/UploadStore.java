package io.pricecast.ingest.upload;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.input.Rejection;
import io.pricecast.input.batch.CleanReport;
import io.pricecast.input.batch.SharedTicker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code uploads} and {@code upload_rejections} tables. Statements prepared once; writes are idempotent. */
public final class UploadStore {

    private final CqlSession session;
    private final PreparedStatement select;
    private final PreparedStatement received;
    private final PreparedStatement publishing;
    private final PreparedStatement published;
    private final PreparedStatement failed;
    private final PreparedStatement claim;
    private final PreparedStatement insertRejection;
    private final PreparedStatement selectRejections;

    /**
     * @param session  the process's session
     * @param keyspace the keyspace holding the ingest tables
     */
    public UploadStore(CqlSession session, String keyspace) {
        this.session = session;
        String table = keyspace + ".uploads";
        this.select = session.prepare("SELECT * FROM " + table + " WHERE upload_id = ?");
        this.received =
                session.prepare("UPDATE " + table + " SET dataset = ?, file_sha256 = ?, file_bytes = ?, status = ?, "
                        + "error = null, received_at = ?, started_at = null, finished_at = null, ingest_version = ?, attempts = ? "
                        + "WHERE upload_id = ?");
        this.publishing = session.prepare("UPDATE " + table + " SET status = ?, started_at = ? WHERE upload_id = ?");
        this.published =
                session.prepare("UPDATE " + table + " SET status = ?, finished_at = ?, total = ?, accepted = ?, "
                        + "duplicates = ?, rejected = ?, shared_tickers = ? WHERE upload_id = ?");
        this.failed = session.prepare("UPDATE " + table
                + " SET status = ?, finished_at = ?, error = ? WHERE upload_id = ?" + " IF owner = ?");
        this.claim = session.prepare("UPDATE " + table + " SET owner = ? WHERE upload_id = ? IF owner = ?");
        this.insertRejection = session.prepare("INSERT INTO " + keyspace + ".upload_rejections "
                + "(upload_id, file_line, reason, field, message, raw) VALUES (?, ?, ?, ?, ?, ?)");
        this.selectRejections = session.prepare("SELECT file_line, reason, field, message, raw FROM " + keyspace
                + ".upload_rejections WHERE upload_id = ? LIMIT ?");
    }

    /** @return the upload's row, if it was ever received */
    public Optional<UploadRecord> find(String uploadId) {
        Row r = session.execute(select.bind(uploadId)).one();
        if (r == null || r.isNull("status")) {
            return Optional.empty();
        }
        return Optional.of(new UploadRecord(
                r.getString("upload_id"),
                r.getString("dataset"),
                r.getString("file_sha256"),
                r.getLong("file_bytes"),
                UploadStatus.ofCode(r.getString("status")),
                r.getString("error"),
                r.getInstant("received_at"),
                r.getInstant("started_at"),
                r.getInstant("finished_at"),
                r.getString("ingest_version"),
                r.isNull("total") ? null : r.getLong("total"),
                r.isNull("accepted") ? null : r.getLong("accepted"),
                r.isNull("duplicates") ? null : r.getLong("duplicates"),
                r.getMap("rejected", String.class, Long.class),
                r.getList("shared_tickers", String.class),
                r.getInt("attempts"),
                r.getString("owner")));
    }

    /** Records a (re)received upload about to be published. */
    public void received(
            String uploadId, String dataset, ReceivedFile file, Instant receivedAt, String version, int attempts) {
        session.execute(received.bind(
                        dataset,
                        file.sha256(),
                        file.bytes(),
                        UploadStatus.RECEIVED.code(),
                        receivedAt,
                        version,
                        attempts,
                        uploadId)
                .setIdempotent(true));
    }

    /**
     * Makes {@code owner} the publisher of the upload if its owner is still {@code expected} (a lightweight
     * transaction: of two attempts that claim it from the same owner, one wins).
     *
     * @param expected the owner it had when read (null: none yet)
     * @return whether the claim was applied
     */
    public boolean claim(String uploadId, String expected, String owner) {
        return session.execute(claim.bind(owner, uploadId, expected)).wasApplied();
    }

    /** Marks the upload as being published. */
    public void publishing(String uploadId, Instant startedAt) {
        session.execute(publishing
                .bind(UploadStatus.PUBLISHING.code(), startedAt, uploadId)
                .setIdempotent(true));
    }

    /** Marks the upload as published, with its counts: every record is on the topics. */
    public void published(String uploadId, CleanReport report, Instant finishedAt) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        report.counts().rejected().forEach((reason, count) -> byReason.put(reason.code(), count));
        List<String> shared =
                report.sharedTickers().stream().map(SharedTicker::describe).toList();
        session.execute(published
                .bind(
                        UploadStatus.PUBLISHED.code(),
                        finishedAt,
                        report.counts().total(),
                        report.counts().accepted(),
                        report.counts().duplicates(),
                        byReason,
                        shared,
                        uploadId)
                .setIdempotent(true));
    }

    /**
     * Marks the upload as failed, if {@code owner} still publishes it (an attempt another one took over must not say
     * the upload failed); a retry of the same file resumes it.
     *
     * @return whether it was marked
     */
    public boolean failed(String uploadId, String owner, String error, Instant finishedAt) {
        return session.execute(failed.bind(UploadStatus.FAILED.code(), finishedAt, error, uploadId, owner))
                .wasApplied();
    }

    /** Keeps the first rejected lines of an upload (one unlogged batch: one partition). */
    public void saveRejections(String uploadId, List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (Rejection r : rejections) {
            batch.addStatement(insertRejection.bind(
                    uploadId, r.line(), r.reason().code(), r.field(), r.message(), truncate(r.record())));
        }
        session.execute(batch.setIdempotence(true).build());
    }

    /** @return the first {@code limit} rejected lines of the upload, in line order */
    public List<StoredRejection> rejections(String uploadId, int limit) {
        List<StoredRejection> out = new ArrayList<>();
        for (Row r : session.execute(selectRejections.bind(uploadId, limit))) {
            out.add(new StoredRejection(
                    r.getLong("file_line"),
                    r.getString("reason"),
                    r.getString("field"),
                    r.getString("message"),
                    r.getString("raw")));
        }
        return out;
    }

    private static String truncate(String raw) {
        return raw.length() <= StoredRejection.MAX_RAW_CHARS ? raw : raw.substring(0, StoredRejection.MAX_RAW_CHARS);
    }

    /**
     * A rejected line kept for an upload's status.
     *
     * @param line    file line
     * @param reason  reason code
     * @param field   the field at fault, or empty
     * @param message the human message
     * @param raw     the text (truncated)
     */
    public record StoredRejection(long line, String reason, String field, String message, String raw) {
        /** Text kept per rejected line in the status. */
        static final int MAX_RAW_CHARS = 512;
    }
}

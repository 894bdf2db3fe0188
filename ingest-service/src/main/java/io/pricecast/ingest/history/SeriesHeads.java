package io.pricecast.ingest.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.input.PriceRow;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The {@code series_heads} table: per (dataset, series) the newest day and its values, the history that
 * {@code out_of_order} and duplicate checks compare with, across uploads and console messages.
 */
public final class SeriesHeads {

    private final PreparedStatement select;
    private final PreparedStatement upsertFromUpload;
    private final PreparedStatement upsertFromConsole;

    /**
     * Prepares the statements once.
     *
     * @param session  the process's session
     * @param keyspace the keyspace holding the ingest tables
     */
    public SeriesHeads(CqlSession session, String keyspace) {
        this.session = session;
        this.select = session.prepare("SELECT head, previous, raw_topic, raw_partition, raw_offset FROM " + keyspace
                + ".series_heads WHERE dataset = ? AND series = ?");
        this.upsertFromUpload = session.prepare("UPDATE " + keyspace + ".series_heads SET head = ?, previous = null, "
                + "raw_topic = null, raw_partition = null, raw_offset = null, upload_id = ?, updated_at = ? "
                + "WHERE dataset = ? AND series = ?");
        this.upsertFromConsole = session.prepare("UPDATE " + keyspace + ".series_heads SET head = ?, previous = ?, "
                + "raw_topic = ?, raw_partition = ?, raw_offset = ?, upload_id = null, updated_at = ? "
                + "WHERE dataset = ? AND series = ?");
    }

    private final CqlSession session;

    /**
     * A stored head.
     *
     * @param head         the newest day
     * @param previous     the head it replaced, when a console batch wrote it (else null)
     * @param rawTopic     raw topic of the console message that set it, or null for an upload
     * @param rawPartition its partition
     * @param rawOffset    its offset
     */
    public record Head(PriceRow head, PriceRow previous, String rawTopic, Integer rawPartition, Long rawOffset) {
    }

    /**
     * @param dataset the dataset
     * @param series  the series id ({@code SeriesKey.id()})
     * @return the stored head, if the series has one
     */
    public Optional<Head> find(String dataset, String series) {
        return head(series, session.execute(select.bind(dataset, series)).one());
    }

    /** {@link #find}, asynchronously: for reading many series' heads at once. */
    public CompletionStage<Optional<Head>> findAsync(String dataset, String series) {
        return session.executeAsync(select.bind(dataset, series)).thenApply(result -> head(series, result.one()));
    }

    private static Optional<Head> head(String series, Row row) {
        if (row == null || row.isNull("head")) {
            return Optional.empty();
        }
        return Optional.of(new Head(DayRows.fromUdt(series, row.getUdtValue("head")),
                DayRows.fromUdt(series, row.getUdtValue("previous")),
                row.getString("raw_topic"),
                row.isNull("raw_partition") ? null : row.getInt("raw_partition"),
                row.isNull("raw_offset") ? null : row.getLong("raw_offset")));
    }

    /** Records the newest day an upload published for a series (an idempotent upsert). */
    public CompletionStage<AsyncResultSet> writeFromUpload(String dataset, String series, PriceRow head, String uploadId) {
        BoundStatement bound = upsertFromUpload.bind(
                DayRows.toUdt(upsertFromUpload.getVariableDefinitions().get("head").getType(), head),
                uploadId, Instant.now(), dataset, series).setIdempotent(true);
        return session.executeAsync(bound);
    }

    /**
     * Records the newest day a console batch is about to publish, with the head it replaces and the raw
     * position that set it, so that the batch can be undone when its transaction does not commit.
     */
    public CompletionStage<AsyncResultSet> writeFromConsole(String dataset, String series, PriceRow head, PriceRow previous,
                                                            String rawTopic, int rawPartition, long rawOffset) {
        BoundStatement bound = upsertFromConsole.bind(
                DayRows.toUdt(upsertFromConsole.getVariableDefinitions().get("head").getType(), head),
                previous == null ? null : DayRows.toUdt(upsertFromConsole.getVariableDefinitions().get("previous").getType(), previous),
                rawTopic, rawPartition, rawOffset, Instant.now(), dataset, series).setIdempotent(true);
        return session.executeAsync(bound);
    }
}

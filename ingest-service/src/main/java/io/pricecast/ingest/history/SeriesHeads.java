package io.pricecast.ingest.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.input.PriceRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code series_heads} table: per (dataset, series) the newest day and its values, the history that
 * {@code out_of_order} and duplicate checks compare with, across uploads and console messages.
 */
public final class SeriesHeads {

    /** Series per multi-series read or write: one request instead of this many, under Cassandra's batch size limits. */
    public static final int PER_REQUEST = 50;

    private final PreparedStatement select;
    private final PreparedStatement selectMany;
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
        this.selectMany = session.prepare("SELECT series, head, previous, raw_topic, raw_partition, raw_offset FROM "
                + keyspace + ".series_heads WHERE dataset = ? AND series IN ?");
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

    /**
     * The heads of up to {@value #PER_REQUEST} series of one dataset in one request (an {@code IN} on the partition
     * key: the node reads each partition, the client pays one round trip).
     *
     * @return the stored heads by series id; series without one are absent
     */
    public CompletionStage<Map<String, Head>> findAllAsync(String dataset, List<String> series) {
        return session.executeAsync(selectMany.bind(dataset, series)).thenCompose(first -> collect(first, new HashMap<>()));
    }

    private static CompletionStage<Map<String, Head>> collect(AsyncResultSet page, Map<String, Head> found) {
        for (Row row : page.currentPage()) {
            String id = row.getString("series");
            head(id, row).ifPresent(h -> found.put(id, h));
        }
        if (page.hasMorePages()) {
            return page.fetchNextPage().thenCompose(next -> collect(next, found));
        }
        return CompletableFuture.completedFuture(found);
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
     * A head a console batch is about to publish, with the head it replaces and the raw position that set it.
     *
     * @param dataset      the dataset
     * @param series       the series id
     * @param head         the new head
     * @param previous     the head it replaces (null for a new series)
     * @param rawTopic     raw topic of the message that set it
     * @param rawPartition its partition
     * @param rawOffset    its offset
     */
    public record ConsoleHead(String dataset, String series, PriceRow head, PriceRow previous, String rawTopic,
                              int rawPartition, long rawOffset) {
    }

    /**
     * Records the newest day a console batch is about to publish for up to {@value #PER_REQUEST} series, each with
     * the head it replaces and the raw position that set it, so that the batch can be undone when its transaction
     * does not commit. One request: an unlogged batch of
     * idempotent upserts, each its own partition (atomicity is not needed: each upsert stands alone, and the batch
     * can be retried whole).
     */
    public CompletionStage<AsyncResultSet> writeAllFromConsole(List<ConsoleHead> heads) {
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).setIdempotence(true);
        for (ConsoleHead h : heads) {
            batch.addStatement(consoleUpsert(h));
        }
        return session.executeAsync(batch.build());
    }

    private BoundStatement consoleUpsert(ConsoleHead h) {
        var columns = upsertFromConsole.getVariableDefinitions();
        return upsertFromConsole.bind(
                DayRows.toUdt(columns.get("head").getType(), h.head()),
                h.previous() == null ? null : DayRows.toUdt(columns.get("previous").getType(), h.previous()),
                h.rawTopic(), h.rawPartition(), h.rawOffset(), Instant.now(), h.dataset(), h.series()).setIdempotent(true);
    }
}

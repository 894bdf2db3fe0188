package io.pricecast.ingest.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.input.PriceRow;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.batch.SeriesHistory;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The history one upload is cleaned against, frozen per series the first time the upload looks at it
 * ({@code upload_baselines}). A resumed upload (after a crash and a client retry) therefore sees the same
 * history as its first attempt for every series it had reached, even if another upload to the same
 * dataset has moved {@code series_heads} since: the records it emits are the same, in the same order,
 * which is what lets it skip exactly the prefix already committed.
 */
public final class UploadBaselines {

    private final CqlSession session;
    private final SeriesHeads heads;
    private final PreparedStatement select;
    private final PreparedStatement insert;

    /**
     * @param session  the process's session
     * @param keyspace the keyspace holding the ingest tables
     * @param heads    the live heads, read the first time a series is looked at
     */
    public UploadBaselines(CqlSession session, String keyspace, SeriesHeads heads) {
        this.session = session;
        this.heads = heads;
        this.select = session.prepare("SELECT known, head FROM " + keyspace + ".upload_baselines WHERE upload_id = ? AND series = ?");
        this.insert = session.prepare("INSERT INTO " + keyspace + ".upload_baselines (upload_id, series, known, head) VALUES (?, ?, ?, ?)");
    }

    /**
     * The history of one upload attempt. Baselines are recorded asynchronously; {@link #awaitRecorded()}
     * must return before a transaction holding records of a series commits, so a baseline is always
     * durable before anything cleaned against it is visible.
     */
    public interface Frozen extends SeriesHistory {
        /** Waits until every baseline looked up so far is stored. */
        void awaitRecorded();
    }

    /**
     * @param uploadId the upload
     * @param dataset  its dataset
     * @param resuming whether an earlier attempt committed records: then its recorded baselines are used;
     *                 otherwise nothing cleaned against them is visible, and they are simply replaced
     * @return the history of that upload
     */
    public Frozen forUpload(String uploadId, String dataset, boolean resuming) {
        return new Attempt(uploadId, dataset, resuming);
    }

    private final class Attempt implements Frozen {
        private final String uploadId;
        private final String dataset;
        private final boolean resuming;
        private final Map<String, Optional<PriceRow>> looked = new HashMap<>();
        private final BoundedRequests pending = new BoundedRequests();

        Attempt(String uploadId, String dataset, boolean resuming) {
            this.uploadId = uploadId;
            this.dataset = dataset;
            this.resuming = resuming;
        }

        @Override
        public void awaitRecorded() {
            pending.awaitAll();
        }

        @Override
        public Optional<LocalDate> newestDate(SeriesKey series) {
            return newestRow(series).map(PriceRow::date);
        }

        @Override
        public Optional<PriceRow> newestRow(SeriesKey series) {
            return looked.computeIfAbsent(series.id(), this::baseline);
        }

        private Optional<PriceRow> baseline(String series) {
            Row stored = resuming ? session.execute(select.bind(uploadId, series)).one() : null;
            if (stored != null) {
                return stored.getBoolean("known")
                        ? Optional.of(DayRows.fromUdt(series, stored.getUdtValue("head")))
                        : Optional.empty();
            }
            Optional<PriceRow> head = heads.find(dataset, series).map(SeriesHeads.Head::head);
            pending.submit(() -> session.executeAsync(insert.bind(uploadId, series, head.isPresent(),
                    head.map(row -> DayRows.toUdt(insert.getVariableDefinitions().get("head").getType(), row)).orElse(null))
                    .setIdempotent(true)));
            return head;
        }
    }
}

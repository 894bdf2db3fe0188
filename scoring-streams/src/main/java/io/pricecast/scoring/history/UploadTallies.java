package io.pricecast.scoring.history;

import io.pricecast.avro.UploadVerdicts;
import io.pricecast.scoring.state.UploadTally;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's counts of how it judged each upload's records, kept in a changelogged store (key: upload id) and
 * published as {@code UploadVerdicts} by a punctuation, so an upload's status can tell when every one of its
 * records has been judged. Counts change in the transaction of the record they count; an upload whose counts
 * changed since they were last published is marked in the store itself, so a restored task publishes what its
 * predecessor had not. Entries not changed for {@code retention} are forgotten when the task starts.
 */
public final class UploadTallies {

    private final KeyValueStore<String, UploadTally> store;
    private final int partition;
    private final Set<String> changed = new LinkedHashSet<>();

    /**
     * @param store     the task's uploads store
     * @param partition the task's input partition
     * @param now       the time now (epoch milliseconds)
     * @param retention how long an upload's counts are kept after their last change
     */
    public UploadTallies(KeyValueStore<String, UploadTally> store, int partition, long now, Duration retention) {
        this.store = store;
        this.partition = partition;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, UploadTally> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, UploadTally> next = all.next();
                if (!next.value.emitted()) {
                    changed.add(next.key);
                } else if (next.value.updatedAt() < now - retention.toMillis()) {
                    expired.add(next.key);
                }
            }
        }
        expired.forEach(store::delete);
    }

    /** A record of the upload extended its series. */
    public void accepted(String uploadId, String dataset, long now) {
        change(uploadId, dataset, t -> t.withAccepted(now));
    }

    /** A record of the upload repeated its series' newest day. */
    public void duplicate(String uploadId, String dataset, long now) {
        change(uploadId, dataset, t -> t.withDuplicate(now));
    }

    /** A record of the upload was refused against its series' history. */
    public void rejected(String uploadId, String dataset, String reason, long now) {
        change(uploadId, dataset, t -> t.withRejected(reason, now));
    }

    /** Forecasts of the upload's records were published. */
    public void forecasts(String uploadId, String dataset, long count, long now) {
        change(uploadId, dataset, t -> t.withForecasts(count, now));
    }

    /** An accepted record of the upload got no forecast. */
    public void notForecast(String uploadId, String dataset, String reason, long now) {
        change(uploadId, dataset, t -> t.withNotForecast(reason, now));
    }

    private void change(String uploadId, String dataset, UnaryOperator<UploadTally> how) {
        if (uploadId == null) {
            return; // a console record: no upload to account it to
        }
        UploadTally tally = store.get(uploadId);
        store.put(uploadId, how.apply(tally == null ? UploadTally.start(dataset, partition) : tally));
        changed.add(uploadId);
    }

    /**
     * Publishes the counts of every upload changed since the last call, and marks them published.
     *
     * @param out            receives each upload's verdicts (keyed by its upload id)
     * @param scoringVersion this build's code version
     */
    public void publish(Consumer<UploadVerdicts> out, String scoringVersion) {
        for (String uploadId : changed) {
            UploadTally t = store.get(uploadId);
            if (t == null || t.emitted()) {
                continue;
            }
            out.accept(new UploadVerdicts(
                    uploadId,
                    t.dataset(),
                    t.partition(),
                    t.judged(),
                    t.accepted(),
                    t.duplicates(),
                    t.rejected(),
                    t.forecasts(),
                    t.notForecast(),
                    scoringVersion,
                    Instant.ofEpochMilli(t.updatedAt())));
            store.put(uploadId, t.published());
        }
        changed.clear();
    }
}

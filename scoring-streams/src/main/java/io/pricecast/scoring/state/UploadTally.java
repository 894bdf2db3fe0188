package io.pricecast.scoring.state;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How one task (one prices.clean partition) judged one upload's records so far: the counts published as
 * {@code UploadVerdicts}, and whether the newest counts were published yet.
 *
 * @param dataset     the upload's dataset
 * @param partition   the prices.clean partition
 * @param accepted    records that extended their series
 * @param duplicates  exact repeats of their series' newest day
 * @param rejected    refused against the history, by reason
 * @param forecasts   accepted records whose forecast was published
 * @param notForecast accepted records without a forecast, by reason
 * @param updatedAt   when the counts last changed (epoch milliseconds)
 * @param emitted     whether these counts were published
 */
public record UploadTally(
        String dataset,
        int partition,
        long accepted,
        long duplicates,
        Map<String, Long> rejected,
        long forecasts,
        Map<String, Long> notForecast,
        long updatedAt,
        boolean emitted) {

    public UploadTally {
        Objects.requireNonNull(dataset, "dataset");
        rejected = Map.copyOf(rejected);
        notForecast = Map.copyOf(notForecast);
    }

    /** @return an upload nothing of which was judged yet */
    public static UploadTally start(String dataset, int partition) {
        return new UploadTally(dataset, partition, 0, 0, Map.of(), 0, Map.of(), 0, false);
    }

    /** @return records judged: accepted, duplicates and rejected */
    public long judged() {
        return accepted
                + duplicates
                + rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public UploadTally withAccepted(long at) {
        return new UploadTally(
                dataset, partition, accepted + 1, duplicates, rejected, forecasts, notForecast, at, false);
    }

    public UploadTally withDuplicate(long at) {
        return new UploadTally(
                dataset, partition, accepted, duplicates + 1, rejected, forecasts, notForecast, at, false);
    }

    public UploadTally withRejected(String reason, long at) {
        return new UploadTally(
                dataset, partition, accepted, duplicates, plusOne(rejected, reason), forecasts, notForecast, at, false);
    }

    public UploadTally withForecasts(long count, long at) {
        return new UploadTally(
                dataset, partition, accepted, duplicates, rejected, forecasts + count, notForecast, at, false);
    }

    public UploadTally withNotForecast(String reason, long at) {
        return new UploadTally(
                dataset, partition, accepted, duplicates, rejected, forecasts, plusOne(notForecast, reason), at, false);
    }

    /** @return these counts, marked published */
    public UploadTally published() {
        return new UploadTally(
                dataset, partition, accepted, duplicates, rejected, forecasts, notForecast, updatedAt, true);
    }

    private static Map<String, Long> plusOne(Map<String, Long> counts, String reason) {
        Map<String, Long> next = new TreeMap<>(counts);
        next.merge(reason, 1L, Long::sum);
        return next;
    }
}

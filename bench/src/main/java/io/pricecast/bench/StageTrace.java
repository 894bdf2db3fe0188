package io.pricecast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The cumulative counters of the pipeline's stages (ingest accepted, scored, persisted), relative to their
 * values when the trace started, and the consumer lag of scoring and the sink, sampled together.
 * From them, per stage:
 * <ul>
 *   <li>the <em>pipelined</em> rate: records over the time from the sample before the counter first moved
 *       to the first sample at or past the target (never flattered by more than one sampling interval);</li>
 *   <li>the <em>busy</em> rate: records moved per second over only the intervals that began with a backlog
 *       (the stage's consumer lag at least a threshold), i.e. the stage's own pace while it had
 *       work, which a pipelined rate hides when an upstream stage is slower.</li>
 * </ul>
 */
final class StageTrace {

    /**
     * The columns, in pipeline order: each stage's cumulative count of work done, and before scoring and the
     * sink their consumer lag on their input topic (a gauge: records committed upstream not yet consumed).
     */
    enum Stage {
        INGEST(false),
        SCORING_BACKLOG(true),
        SCORING(false),
        SINK_BACKLOG(true),
        SINK(false);

        private final boolean gauge;

        Stage(boolean gauge) {
            this.gauge = gauge;
        }
    }

    private final LongSupplier clock;
    private final LongSupplier[] counters;
    private final long[] base;
    private final List<long[]> samples = new ArrayList<>();

    /**
     * @param counters one per {@link Stage}, in its order
     * @param clock    nanoseconds (System.nanoTime, or a test's clock)
     */
    StageTrace(List<LongSupplier> counters, LongSupplier clock) {
        if (counters.size() != Stage.values().length) {
            throw new IllegalArgumentException("one counter per stage " + List.of(Stage.values()));
        }
        this.clock = clock;
        this.counters = counters.toArray(LongSupplier[]::new);
        this.base = new long[this.counters.length];
        for (int i = 0; i < base.length; i++) {
            base[i] = Stage.values()[i].gauge ? 0 : this.counters[i].getAsLong();
        }
        samples.add(row(clock.getAsLong(), new long[base.length]));
    }

    private static long[] row(long t, long[] values) {
        long[] r = new long[values.length + 1];
        r[0] = t;
        System.arraycopy(values, 0, r, 1, values.length);
        return r;
    }

    /** Takes a sample of every counter. */
    void sample() {
        long[] values = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].getAsLong() - base[i];
        }
        long t = clock.getAsLong();
        synchronized (this) {
            samples.add(row(t, values));
        }
    }

    /** @return the latest sample's count of a stage */
    synchronized long latest(Stage stage) {
        return samples.get(samples.size() - 1)[stage.ordinal() + 1];
    }

    /** @return the time (of the clock) of the first sample where {@code stage} reached {@code records} */
    synchronized long reachedAt(Stage stage, long records) {
        for (long[] s : samples) {
            if (s[stage.ordinal() + 1] >= records) {
                return s[0];
            }
        }
        throw new IllegalStateException(stage + " has counted " + latest(stage) + " of " + records + " records");
    }

    /** @return records per second from the stage's start until it reached {@code records} */
    synchronized double pipelinedRate(Stage stage, long records) {
        int k = stage.ordinal() + 1;
        long started = samples.get(0)[0];
        for (long[] s : samples) {
            if (s[k] > 0) {
                break;
            }
            started = s[0];
        }
        return records * 1e9 / Math.max(1, reachedAt(stage, records) - started);
    }

    /**
     * @param stage     scoring or sink (the column before it is its lag); for any other its pipelined rate
     * @param threshold lag an interval must begin with to count
     * @return the stage's records per second over the intervals it had a backlog; its pipelined rate when it
     *         never had one
     */
    synchronized double busyRate(Stage stage, long records, long threshold) {
        if (stage != Stage.SCORING && stage != Stage.SINK) {
            return pipelinedRate(stage, records);
        }
        int k = stage.ordinal() + 1;
        long moved = 0;
        long nanos = 0;
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (a[k] < records && a[k - 1] >= threshold) {
                moved += Math.min(b[k], records) - a[k];
                nanos += b[0] - a[0];
            }
        }
        return nanos == 0 ? pipelinedRate(stage, records) : moved * 1e9 / nanos;
    }
}

package io.pricecast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The cumulative counters of the pipeline's stages (ingest accepted, scored, persisted), sampled together,
 * relative to their values when the trace started. From them, per stage:
 * <ul>
 *   <li>the <em>pipelined</em> rate: records over the time from the sample before the counter first moved
 *       to the first sample at or past the target (never flattered by more than one sampling interval);</li>
 *   <li>the <em>busy</em> rate: records moved per second over only the intervals that began with a backlog
 *       (upstream ahead by at least a threshold), i.e. the stage's own pace while it had work, which a
 *       pipelined rate hides when an upstream stage is slower.</li>
 * </ul>
 */
final class StageTrace {

    /** The stages, in pipeline order. */
    enum Stage { INGEST, SCORING, SINK }

    private final LongSupplier clock;
    private final LongSupplier[] counters;
    private final long[] base;
    private final List<long[]> samples = new ArrayList<>();

    /**
     * @param ingest  records accepted by ingest
     * @param scoring records scored
     * @param sink    forecasts persisted
     */
    StageTrace(LongSupplier ingest, LongSupplier scoring, LongSupplier sink) {
        this(ingest, scoring, sink, System::nanoTime);
    }

    /**
     * @param ingest  records accepted by ingest
     * @param scoring records scored
     * @param sink    forecasts persisted
     * @param clock   nanoseconds (System.nanoTime, or a test's clock)
     */
    StageTrace(LongSupplier ingest, LongSupplier scoring, LongSupplier sink, LongSupplier clock) {
        this.clock = clock;
        this.counters = new LongSupplier[] {ingest, scoring, sink};
        this.base = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            base[i] = counters[i].getAsLong();
        }
        samples.add(row(clock.getAsLong(), new long[counters.length]));
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
     * @param stage     scoring or sink (ingest has no upstream counter: its pipelined rate is its pace)
     * @param threshold backlog (upstream count minus this stage's) an interval must begin with to count
     * @return the stage's records per second over the intervals it had a backlog; its pipelined rate when it
     *         never had one
     */
    synchronized double busyRate(Stage stage, long records, long threshold) {
        if (stage == Stage.INGEST) {
            return pipelinedRate(stage, records);
        }
        int k = stage.ordinal() + 1;
        long moved = 0;
        long nanos = 0;
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (a[k] < records && a[k - 1] - a[k] >= threshold) {
                moved += Math.min(b[k], records) - a[k];
                nanos += b[0] - a[0];
            }
        }
        return nanos == 0 ? pipelinedRate(stage, records) : moved * 1e9 / nanos;
    }
}

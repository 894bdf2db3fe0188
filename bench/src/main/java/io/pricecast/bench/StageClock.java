package io.pricecast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples one cumulative counter of a stage (records accepted, scored, persisted) and tells when the
 * stage started and finished a given amount of work: started = the last sample before the counter first
 * moved, finished = the first sample at or past the target. So a stage's rate is never flattered by more
 * than one sampling interval.
 */
final class StageClock {

    private final String stage;
    private final LongSupplier counter;
    private final long base;
    private final List<long[]> samples = new ArrayList<>();

    /**
     * @param stage   the stage's name (in messages)
     * @param counter reads the cumulative counter
     */
    StageClock(String stage, LongSupplier counter) {
        this.stage = stage;
        this.counter = counter;
        this.base = counter.getAsLong();
        samples.add(new long[] {System.nanoTime(), base});
    }

    /** @return how far the counter moved since this clock was created, after taking a sample */
    synchronized long sample() {
        long value = counter.getAsLong();
        samples.add(new long[] {System.nanoTime(), value});
        return value - base;
    }

    /** @return the stage's name */
    String stage() {
        return stage;
    }

    /**
     * @param records the stage's work
     * @return records per second from the stage's start to the sample where it reached {@code records}
     * @throws IllegalStateException when the counter never reached {@code records}
     */
    synchronized double rate(long records) {
        long started = samples.get(0)[0];
        for (long[] s : samples) {
            if (s[1] > base) {
                break;
            }
            started = s[0];
        }
        for (long[] s : samples) {
            if (s[1] - base >= records) {
                return records * 1e9 / Math.max(1, s[0] - started);
            }
        }
        throw new IllegalStateException(stage + " counted " + (samples.get(samples.size() - 1)[1] - base) + " of "
                + records + " records");
    }

    /** @return the time (System.nanoTime) of the first sample at or past {@code records} */
    synchronized long reachedAt(long records) {
        for (long[] s : samples) {
            if (s[1] - base >= records) {
                return s[0];
            }
        }
        throw new IllegalStateException(stage + " has not reached " + records + " records");
    }
}

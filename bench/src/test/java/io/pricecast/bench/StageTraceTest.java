package io.pricecast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Stage rates from sampled counters. */
class StageTraceTest {

    @Test
    void busyRateCountsOnlyIntervalsThatBeganWithABacklogWhilePipelinedRateSpansFirstToLast() throws Exception {
        AtomicLong ingest = new AtomicLong(1_000);
        AtomicLong scored = new AtomicLong(1_000);
        AtomicLong sinkLag = new AtomicLong();
        AtomicLong persisted = new AtomicLong(1_000);
        AtomicLong seconds = new AtomicLong();
        StageTrace trace = new StageTrace(
                List.of(ingest::get, () -> 0, scored::get, sinkLag::get, persisted::get),
                () -> seconds.get() * 1_000_000_000L);
        // the sink waits for scoring, then drains a backlog of 100 fast
        ingest.addAndGet(100);
        scored.addAndGet(10);
        sinkLag.set(10);
        seconds.set(1);
        trace.sample();
        persisted.addAndGet(10);
        scored.addAndGet(90);
        sinkLag.set(90);
        seconds.set(10);
        trace.sample();
        persisted.addAndGet(90);
        sinkLag.set(0);
        seconds.set(11);
        trace.sample();

        assertThat(trace.latest(StageTrace.Stage.SINK)).isEqualTo(100);
        assertThat(trace.reachedAt(StageTrace.Stage.SINK, 100))
                .isGreaterThan(trace.reachedAt(StageTrace.Stage.SCORING, 100));
        double busy = trace.busyRate(StageTrace.Stage.SINK, 100, 50);
        double pipelined = trace.pipelinedRate(StageTrace.Stage.SINK, 100);
        // only the last interval (10 s -> 11 s) began with a lag >= 50 (90): 90 persisted in 1 s;
        // pipelined: 100 from the last sample before the sink's first move (1 s) to the sample it reached 100 (11 s)
        assertThat(busy).isCloseTo(90.0, within(1e-9));
        assertThat(pipelined).isCloseTo(100.0 / 10, within(1e-9));
        assertThat(trace.busyRate(StageTrace.Stage.SINK, 100, 1_000))
                .as("never that far behind: pipelined")
                .isCloseTo(pipelined, within(1e-6));
    }
}

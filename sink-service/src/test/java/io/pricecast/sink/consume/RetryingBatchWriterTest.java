package io.pricecast.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.pricecast.sink.cql.SinkTables;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The batch writer's retry, back-off and pause decisions, against writes that fail as told (no Cassandra). */
class RetryingBatchWriterTest {

    private static final String TABLE = SinkTables.PREDICTIONS_BY_SERIES;

    private final SinkMeters metrics = new SinkMeters();
    private final FakeConsumer consumer = new FakeConsumer();

    /** What the writer asked of the consumer, in order. */
    private static final class FakeConsumer implements RetryingBatchWriter.Consumer {
        final List<String> calls = new ArrayList<>();
        boolean stopping;

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public void idle(Duration time) {
            calls.add("idle " + time.toMillis());
        }

        @Override
        public boolean stopping() {
            return stopping;
        }

        @Override
        public void status(ConsumerStatus.Phase phase, String detail) {
            calls.add(phase.name());
        }
    }

    /** A request that fails with the given errors, in turn, then succeeds; it counts its starts. */
    private static final class Scripted {
        final Deque<Throwable> failures;
        int starts;

        Scripted(Throwable... failures) {
            this.failures = new ArrayDeque<>(Arrays.asList(failures));
        }

        CompletableFuture<?> start() {
            starts++;
            Throwable next = failures.poll();
            return next == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(next);
        }
    }

    private static Write rows(
            String label, int rows, Scripted request, java.util.function.Supplier<List<Write>> whenRefused) {
        return new Write(label, Map.of(TABLE, rows), request::start, whenRefused);
    }

    private RetryingBatchWriter writer(Duration maxBackoff) {
        return new RetryingBatchWriter("test", metrics, maxBackoff, consumer);
    }

    @Test
    void writesEveryRequestOnceAndCountsItsRows() {
        Scripted a = new Scripted();
        Scripted b = new Scripted();
        Scripted letter = new Scripted();

        boolean done = writer(Duration.ofSeconds(5))
                .write(List.of(
                        rows("a", 3, a, () -> List.of()),
                        rows("b", 1, b, () -> List.of()),
                        new Write("letter", Map.of(), letter::start, null)));

        assertThat(done).isTrue();
        assertThat(List.of(a.starts, b.starts, letter.starts)).containsExactly(1, 1, 1);
        assertThat(metrics.rowsWritten(TABLE)).isEqualTo(4);
        assertThat(metrics.requestsWritten()).isEqualTo(2);
        assertThat(metrics.writesInFlight()).isZero();
        assertThat(consumer.calls).isEmpty();
    }

    @Test
    void retriesOnlyTheFailedWritesPausedWithADoublingBackOffThenResumes() {
        Scripted ok = new Scripted();
        Scripted flaky = new Scripted(
                new DriverTimeoutException("t1"), new DriverTimeoutException("t2"), new DriverTimeoutException("t3"));

        boolean done = writer(Duration.ofMillis(500))
                .write(List.of(rows("ok", 1, ok, () -> List.of()), rows("flaky", 2, flaky, () -> List.of())));

        assertThat(done).isTrue();
        assertThat(ok.starts).isEqualTo(1);
        assertThat(flaky.starts).isEqualTo(4);
        assertThat(consumer.calls)
                .containsExactly(
                        "pause",
                        "CASSANDRA_DOWN",
                        "idle 200",
                        "pause",
                        "CASSANDRA_DOWN",
                        "idle 400",
                        "pause",
                        "CASSANDRA_DOWN",
                        "idle 500",
                        "resume");
        assertThat(metrics.writeRetries()).isEqualTo(3);
        assertThat(metrics.rowsWritten(TABLE)).isEqualTo(3);
        assertThat(metrics.writesThrottled()).isZero();
    }

    @Test
    void aRefusedRequestIsWrittenInPartsAndOnlyTheRefusedRowBecomesADeadLetter() {
        Scripted good = new Scripted();
        Scripted bad = new Scripted(new InvalidQueryException(null, "bad row"));
        Scripted letter = new Scripted();
        Write badRow = rows("bad", 1, bad, () -> List.of(new Write("letter", Map.of(), letter::start, null)));
        Write goodRow = rows("good", 1, good, () -> List.of());
        Scripted batch = new Scripted(new InvalidQueryException(null, "bad batch"));

        boolean done =
                writer(Duration.ofSeconds(5)).write(List.of(rows("batch", 2, batch, () -> List.of(goodRow, badRow))));

        assertThat(done).isTrue();
        assertThat(List.of(batch.starts, good.starts, bad.starts, letter.starts))
                .containsExactly(1, 1, 1, 1);
        assertThat(metrics.rowsWritten(TABLE)).isEqualTo(1);
        assertThat(consumer.calls).isEmpty();
        assertThat(metrics.writeRetries()).isZero();
    }

    @Test
    void aWriteTheFullThrottlerQueueTurnedAwayWaitsAndIsStartedAgainNeverDeadLettered() {
        Scripted ok = new Scripted();
        Scripted throttled = new Scripted(
                new RequestThrottlingException("queue full"), new RequestThrottlingException("queue full"));
        List<String> deadLettered = new ArrayList<>();

        boolean done = writer(Duration.ofSeconds(5))
                .write(List.of(rows("ok", 1, ok, () -> List.of()), rows("throttled", 2, throttled, () -> {
                    deadLettered.add("throttled");
                    return List.of();
                })));

        assertThat(done).isTrue();
        assertThat(throttled.starts).isEqualTo(3);
        assertThat(deadLettered).isEmpty();
        assertThat(metrics.rowsWritten(TABLE)).isEqualTo(3);
        assertThat(consumer.calls)
                .containsExactly("pause", "CONSUMING", "idle 50", "pause", "CONSUMING", "idle 50", "resume");
        assertThat(metrics.writesThrottled()).isEqualTo(2);
        assertThat(metrics.writeRetries()).isZero();
    }

    @Test
    void aStoppedConsumerStopsRetryingWithoutWaiting() {
        Scripted failing = new Scripted(new DriverTimeoutException("down"));
        consumer.stopping = true;

        boolean done = writer(Duration.ofSeconds(5)).write(List.of(rows("failing", 1, failing, () -> List.of())));

        assertThat(done).isFalse();
        assertThat(failing.starts).isEqualTo(1);
        assertThat(consumer.calls).isEmpty();
        assertThat(metrics.rowsWritten(TABLE)).isZero();
    }

    @Test
    void aRequestThatCannotEvenStartIsRetriedLikeAFailure() {
        int[] attempts = {0};
        Write write = new Write(
                "broken",
                Map.of(TABLE, 1),
                () -> {
                    if (attempts[0]++ == 0) {
                        throw new IllegalStateException("session closing");
                    }
                    return CompletableFuture.completedFuture(null);
                },
                () -> List.of());

        boolean done = writer(Duration.ofSeconds(5)).write(List.of(write));

        assertThat(done).isTrue();
        assertThat(attempts[0]).isEqualTo(2);
        assertThat(consumer.calls).containsExactly("pause", "CASSANDRA_DOWN", "idle 200", "resume");
        assertThat(metrics.writesInFlight()).isZero();
    }
}

package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one polled batch to Cassandra and does not return before every write of it was acknowledged (or the consumer
 * is stopped): it starts every write at once (the session's throttler bounds how many run, and queues the rest), waits
 * for all, and retries the failed ones.
 *
 * <ul>
 *   <li>A write Cassandra refuses for good ({@link QueryValidationException}) is replaced by its
 *       {@link Write#whenRefused()} parts at once: a request of several rows by smaller ones, a row by its dead letter.
 *   <li>A write the driver's throttler turned away because its queue was full ({@link RequestThrottlingException}) is
 *       not a Cassandra failure: it is started again after {@link #THROTTLED_WAIT}, and never dropped nor
 *       dead-lettered.
 *   <li>Any other failure (timeout, unavailable, no node) is transient: the consumer's partitions are paused, the
 *       status says {@code CASSANDRA_DOWN}, and the failed writes are retried with exponential back-off from
 *       {@link #FIRST_BACKOFF} to the maximum, until they succeed; then the partitions are resumed.
 * </ul>
 */
final class RetryingBatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingBatchWriter.class);
    /** The first pause after a transient failure; it doubles up to the maximum. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /** The pause before writes the throttler turned away are started again. */
    static final Duration THROTTLED_WAIT = Duration.ofMillis(50);

    /** What the writer needs of the consumer whose batch it writes. */
    interface Consumer {
        /** Stops fetching every partition assigned now, while writes are retried. */
        void pause();

        /** Fetches again after a pause, once the writes went through. */
        void resume();

        /**
         * Waits, staying a member of the consumer group; returns early when the consumer is stopped.
         *
         * @param time how long
         */
        void idle(Duration time);

        /** @return whether the consumer is being stopped */
        boolean stopping();

        /**
         * @param phase  the consumer's phase
         * @param detail why
         */
        void status(ConsumerStatus.Phase phase, String detail);
    }

    private final String name;
    private final SinkMeters metrics;
    private final Duration maxBackoff;
    private final Consumer consumer;

    /**
     * @param name       the consumer's name, for the log
     * @param metrics    counters
     * @param maxBackoff longest pause between retries after a transient failure
     * @param consumer   the consumer whose batches are written
     */
    RetryingBatchWriter(String name, SinkMeters metrics, Duration maxBackoff, Consumer consumer) {
        this.name = name;
        this.metrics = metrics;
        this.maxBackoff = maxBackoff;
        this.consumer = consumer;
    }

    /** The outcome of one round: the writes to start again. */
    private record Round(List<Write> failed, List<Write> throttled, List<Write> refusedParts, Throwable lastError) {
        boolean done() {
            return failed.isEmpty() && throttled.isEmpty() && refusedParts.isEmpty();
        }
    }

    /**
     * @param batch the writes of one batch
     * @return true once every write was acknowledged; false when the consumer was stopped first
     */
    boolean write(List<Write> batch) {
        List<Write> outstanding = batch;
        Duration backoff = FIRST_BACKOFF.compareTo(maxBackoff) > 0 ? maxBackoff : FIRST_BACKOFF;
        boolean paused = false;
        while (true) {
            Round round = attempt(outstanding);
            if (round.done()) {
                if (paused) {
                    consumer.resume();
                    LOG.info("{}: writes acknowledged again, resumed", name);
                }
                return true;
            }
            List<Write> again = new ArrayList<>(round.failed());
            again.addAll(round.throttled());
            again.addAll(round.refusedParts());
            if (round.failed().isEmpty() && round.throttled().isEmpty()) {
                outstanding = again; // only parts of refused writes: start them at once
                continue;
            }
            if (consumer.stopping()) {
                return false;
            }
            consumer.pause();
            paused = true;
            if (round.failed().isEmpty()) {
                metrics.writeThrottled(round.throttled().size());
                String reason =
                        round.throttled().size() + " of " + outstanding.size() + " writes waiting: the driver's "
                                + "request queue was full; starting them again in " + THROTTLED_WAIT.toMillis() + " ms";
                consumer.status(ConsumerStatus.Phase.CONSUMING, reason);
                LOG.debug("{}: {}", name, reason);
                consumer.idle(THROTTLED_WAIT);
            } else {
                metrics.writeRetried(again.size());
                Throwable e = round.lastError();
                String reason = round.failed().size() + " of " + outstanding.size() + " writes failed ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); retrying in " + backoff.toMillis()
                        + " ms, not committing";
                consumer.status(ConsumerStatus.Phase.CASSANDRA_DOWN, reason);
                LOG.warn("{}: {}", name, reason);
                consumer.idle(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
            outstanding = again;
        }
    }

    /** Starts every write, waits for all, and sorts out the ones to start again. */
    private Round attempt(List<Write> writes) {
        List<CompletableFuture<?>> futures = new ArrayList<>(writes.size());
        for (Write w : writes) {
            futures.add(start(w));
        }
        List<Write> failed = new ArrayList<>();
        List<Write> throttled = new ArrayList<>();
        List<Write> refusedParts = new ArrayList<>();
        Throwable lastError = null;
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            try {
                futures.get(i).join();
                w.rowsByTable().forEach(metrics::rowsWritten);
                if (!w.rowsByTable().isEmpty()) {
                    metrics.requestWritten();
                }
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof RequestThrottlingException) {
                    throttled.add(w);
                } else if (cause instanceof QueryValidationException && w.whenRefused() != null) {
                    // Cassandra refuses this for good: retrying cannot help; a request of several rows is retried in
                    // parts, and a row alone becomes a dead letter
                    LOG.warn(
                            "Cassandra refused a write of {} to {}: {}; {}",
                            w.label(),
                            w.rowsByTable().keySet(),
                            cause.getMessage(),
                            w.rows() > 1 ? "retrying its parts alone" : "dead-lettered");
                    refusedParts.addAll(w.whenRefused().get());
                } else {
                    failed.add(w);
                    lastError = cause;
                }
            }
        }
        return new Round(failed, throttled, refusedParts, lastError);
    }

    private CompletableFuture<?> start(Write w) {
        CompletableFuture<?> started;
        try {
            started = w.start().get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        metrics.writeStarted();
        return started.whenComplete((r, e) -> metrics.writeEnded());
    }
}

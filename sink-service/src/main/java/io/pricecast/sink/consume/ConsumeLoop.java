package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.runtime.KafkaAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one or more topics into Cassandra, at least once and idempotently: the poll and commit loop.
 *
 * <p>Each polled batch becomes writes ({@link BatchWrites}: upserts grouped by partition key, and dead letters for
 * poison records), which the {@link RetryingBatchWriter} starts at once and waits for; the batch's offsets are
 * committed only after every one of them was acknowledged. When Cassandra fails transiently the writer pauses the
 * consumer's partitions and retries (nothing is committed meanwhile), and resumes them once the writes succeed. When
 * the schema registry cannot be reached the batch is rewound and polled again after a back-off. A crash anywhere
 * replays the uncommitted batch, and the replay overwrites the same rows. Nothing is read from Cassandra.
 */
public final class ConsumeLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final List<String> topics;
    private final Consumer<String, byte[]> consumer;
    private final Planner planner;
    private final RetryingBatchWriter writer;
    private final SinkMeters metrics;
    private final Duration maxBackoff;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Set<TopicPartition> paused = new HashSet<>();
    private volatile ConsumerStatus status;

    /**
     * What one topic's records become.
     *
     * @param deserializer the topic's value deserializer (configured)
     * @param handler      what its records become
     * @param <V>          the topic's record type
     */
    public record Route<V>(Deserializer<V> deserializer, RecordHandler<V> handler) {}

    /**
     * The writes of one polled batch.
     *
     * @param writes    its upserts and dead letters
     * @param followUps what runs once those were acknowledged and before the commit (the handlers' {@code afterStored})
     */
    record Plan(List<Write> writes, List<Write> followUps) {}

    /** Turns a polled batch into its writes. */
    interface Planner {
        /**
         * @param records a polled batch
         * @return its writes
         * @throws RegistryUnreachableException when a record cannot be deserialised for want of the schema registry
         */
        Plan plan(ConsumerRecords<String, byte[]> records) throws RegistryUnreachableException;
    }

    /**
     * @param name           what the consumer is called in {@code /health} and {@code /metrics}
     * @param routes         topic → what its records become
     * @param kafka          the brokers and their security (SASL) settings
     * @param groupId        consumer group
     * @param maxPollRecords records per batch
     * @param maxRowsPerRequest most rows of one partition key in one request (a single-partition unlogged batch)
     * @param maxRequestBytes   most value bytes of a request packing several partitions on the same replicas; 0:
     *                          a request per partition
     * @param session        the process's session, whose throttler bounds the writes in flight
     * @param deadLetters    where poison records go
     * @param metrics        counters
     * @param maxBackoff     longest pause between retries
     */
    public ConsumeLoop(
            String name,
            Map<String, Route<?>> routes,
            KafkaAccess kafka,
            String groupId,
            int maxPollRecords,
            int maxRowsPerRequest,
            int maxRequestBytes,
            CqlSession session,
            DeadLetters deadLetters,
            SinkMeters metrics,
            Duration maxBackoff) {
        this(
                name,
                routes.keySet(),
                new KafkaConsumer<>(
                        consumerProperties(kafka, groupId, maxPollRecords),
                        new StringDeserializer(),
                        new ByteArrayDeserializer()),
                new BatchWrites(name, routes, maxRowsPerRequest, maxRequestBytes, session, deadLetters, metrics),
                metrics,
                maxBackoff);
    }

    /**
     * @param name       what the consumer is called
     * @param topics     the topics it reads
     * @param consumer   the Kafka consumer (not yet subscribed; closed at the end of {@link #run()})
     * @param planner    what a polled batch becomes
     * @param metrics    counters
     * @param maxBackoff longest pause between retries, and the wait before a rewound batch is polled again
     */
    ConsumeLoop(
            String name,
            Collection<String> topics,
            Consumer<String, byte[]> consumer,
            Planner planner,
            SinkMeters metrics,
            Duration maxBackoff) {
        this.name = name;
        this.topics = List.copyOf(new TreeSet<>(topics));
        this.consumer = consumer;
        this.planner = planner;
        this.metrics = metrics;
        this.maxBackoff = maxBackoff;
        this.writer = new RetryingBatchWriter(name, metrics, maxBackoff, new Hold());
        this.status = new ConsumerStatus(
                name, this.topics, ConsumerStatus.Phase.STARTING, "subscribing", Instant.now(), -1, Map.of());
    }

    private static Properties consumerProperties(KafkaAccess kafka, String groupId, int maxPollRecords) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // the same partition numbers of every topic to one member: topics keyed alike (dataset|series, same partition
        // count) are co-partitioned, so a series' records of each topic reach the same consumer
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return p;
    }

    /** @return the Kafka consumer, for its client meters (read from another thread, which Kafka's metrics allow) */
    public Object kafkaConsumer() {
        return consumer;
    }

    /** @return what the consumer is doing */
    public ConsumerStatus status() {
        return status;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new PauseNewPartitionsWhilePaused());
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                setStatus(ConsumerStatus.Phase.CONSUMING, null);
                if (records.isEmpty()) {
                    continue;
                }
                Plan plan;
                try {
                    plan = planner.plan(records);
                } catch (RegistryUnreachableException e) {
                    rewind(records, e.getCause());
                    continue; // polled again after the back-off
                }
                if (!writer.write(plan.writes()) || !plan.followUps().isEmpty() && !writer.write(plan.followUps())) {
                    break; // stopped while retrying: nothing committed, replayed at restart
                }
                commit(records);
            }
            setStatus(ConsumerStatus.Phase.STOPPED, "stopped");
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
            setStatus(ConsumerStatus.Phase.STOPPED, "stopped");
        } catch (RuntimeException e) {
            LOG.error(
                    "consumer {} failed; nothing after its last committed batch is lost (replayed at restart)",
                    name,
                    e);
            setStatus(ConsumerStatus.Phase.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        } finally {
            consumer.close();
        }
    }

    /** Waits while keeping the group membership: the paused consumer is polled and returns nothing. */
    private void idle(Duration time) {
        Instant until = Instant.now().plus(time);
        while (!stopping.get()) {
            Duration left = Duration.between(Instant.now(), until);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            ConsumerRecords<String, byte[]> unexpected = consumer.poll(left);
            if (!unexpected.isEmpty()) {
                // a partition assigned while paused delivered records: rewind so none is skipped
                rewind(unexpected, null);
            }
        }
    }

    private void rewind(ConsumerRecords<String, byte[]> records, RuntimeException cause) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        if (cause != null) {
            String reason =
                    "schema registry unreachable (" + BatchWrites.rootMessage(cause) + "); batch rewound, retrying";
            setStatus(ConsumerStatus.Phase.REGISTRY_DOWN, reason);
            LOG.warn("{}: {}", name, reason);
            idle(maxBackoff);
        }
    }

    private void commit(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition tp : records.partitions()) {
            if (assigned.contains(tp)) {
                List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
                offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
            }
        }
        try {
            consumer.commitSync(offsets);
            metrics.batchCommitted();
        } catch (CommitFailedException e) {
            // the partitions moved to another member, which replays them over the same rows
            LOG.warn(
                    "{}: commit refused after a rebalance ({}); the batch will be replayed, idempotently",
                    name,
                    e.getMessage());
        }
        updateLag();
    }

    private void updateLag() {
        long total = 0;
        Map<String, Long> byTopic = new TreeMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty() || total < 0) {
                total = -1;
                byTopic.put(tp.topic(), -1L);
                continue;
            }
            total += lag.getAsLong();
            byTopic.merge(tp.topic(), lag.getAsLong(), (a, b) -> a < 0 ? a : a + b);
        }
        ConsumerStatus s = status;
        status = new ConsumerStatus(name, s.topics(), s.phase(), s.detail(), s.lastPollAt(), total, byTopic);
    }

    private void setStatus(ConsumerStatus.Phase phase, String detail) {
        ConsumerStatus s = status;
        status = new ConsumerStatus(name, s.topics(), phase, detail, Instant.now(), s.lag(), s.lagByTopic());
    }

    /** Stops polling; {@link #run()} returns after the current batch's writes complete or fail. */
    @Override
    public void close() {
        stopping.set(true);
        try {
            consumer.wakeup();
        } catch (KafkaException e) {
            LOG.debug("wakeup of consumer {} failed: {}", name, e.getMessage());
        }
    }

    /** What the writer pauses, resumes and waits with: this consumer. */
    private final class Hold implements RetryingBatchWriter.Consumer {
        @Override
        public void pause() {
            Set<TopicPartition> assigned = consumer.assignment();
            consumer.pause(assigned);
            paused.addAll(assigned);
        }

        @Override
        public void resume() {
            if (!paused.isEmpty()) {
                Set<TopicPartition> stillAssigned = new HashSet<>(paused);
                stillAssigned.retainAll(consumer.assignment());
                consumer.resume(stillAssigned);
                paused.clear();
            }
        }

        @Override
        public void idle(Duration time) {
            ConsumeLoop.this.idle(time);
        }

        @Override
        public boolean stopping() {
            return stopping.get();
        }

        @Override
        public void status(ConsumerStatus.Phase phase, String detail) {
            setStatus(phase, detail);
        }
    }

    /** Keeps partitions assigned during an outage paused too, so no record is read past. */
    private final class PauseNewPartitionsWhilePaused implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            paused.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (status.phase() == ConsumerStatus.Phase.CASSANDRA_DOWN) {
                consumer.pause(partitions);
                paused.addAll(partitions);
            }
        }
    }
}

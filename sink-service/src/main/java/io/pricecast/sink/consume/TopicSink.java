package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
 * Consumes one or more topics into Cassandra, at least once and idempotently.
 *
 * <p>Each polled batch becomes upserts (and dead letters for poison records), all started
 * asynchronously under the shared in-flight bound; the batch's offsets are committed only after every
 * one of them was acknowledged. The upserts of a batch are grouped by partition key, across tables and topics:
 * a series' price, forecast and scored-forecast rows share their partition key {@code (dataset, symbol)}, so
 * they travel as one single-partition unlogged batch, one mutation for Cassandra. When Cassandra fails
 * transiently the consumer pauses its partitions, retries the failed writes with exponential back-off
 * (nothing is committed meanwhile), and resumes once they succeed. A crash anywhere replays the
 * uncommitted batch, and the replay overwrites the same rows. Nothing is read from Cassandra.
 */
public final class TopicSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSink.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final int MAGIC_BYTE = 0;
    private static final int WIRE_HEADER_BYTES = 5;

    private final String name;
    private final Map<String, Route<?>> routes;
    private final int maxRowsPerRequest;
    private final int maxRequestBytes;
    private final Consumer<String, byte[]> consumer;
    private final CqlSession session;
    private final InFlightLimiter limiter;
    private final DeadLetters deadLetters;
    private final SinkMetrics metrics;
    private final Duration maxBackoff;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Set<TopicPartition> paused = new HashSet<>();
    /** Why the last batch was rewound, when the registry could not be reached. */
    private RuntimeException lastRegistryFailure;
    private volatile ConsumerStatus status;

    /**
     * What one topic's records become.
     *
     * @param deserializer the topic's value deserializer (configured)
     * @param handler      what its records become
     * @param <V>          the topic's record type
     */
    public record Route<V>(Deserializer<V> deserializer, RecordHandler<V> handler) {
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
     * @param session        the process's session
     * @param limiter        the shared in-flight bound
     * @param deadLetters    where poison records go
     * @param metrics        counters
     * @param maxBackoff     longest pause between retries
     */
    public TopicSink(String name, Map<String, Route<?>> routes, KafkaAccess kafka, String groupId, int maxPollRecords,
                     int maxRowsPerRequest, int maxRequestBytes, CqlSession session, InFlightLimiter limiter, DeadLetters deadLetters,
                     SinkMetrics metrics, Duration maxBackoff) {
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
        this.name = name;
        this.routes = Map.copyOf(routes);
        this.maxRowsPerRequest = maxRowsPerRequest;
        this.maxRequestBytes = maxRequestBytes;
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.session = session;
        this.limiter = limiter;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxBackoff = maxBackoff;
        this.status = new ConsumerStatus(name, List.copyOf(new java.util.TreeSet<>(routes.keySet())),
                ConsumerStatus.Phase.STARTING, "subscribing", Instant.now(), -1, Map.of());
    }

    /** @return what the consumer is doing */
    public ConsumerStatus status() {
        return status;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.copyOf(routes.keySet()), new PauseNewPartitionsWhilePaused());
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                setStatus(ConsumerStatus.Phase.CONSUMING, null);
                if (records.isEmpty()) {
                    continue;
                }
                Map<Route<?>, List<Object>> stored = new java.util.LinkedHashMap<>();
                List<Pending> pending = prepare(records, stored);
                if (pending == null) {
                    continue; // registry unreachable: rewound, retried after a back-off
                }
                persist(pending);
                List<Pending> followUps = new ArrayList<>();
                stored.forEach((route, values) -> followUps.add(new Pending(name + " batch follow-up", Map.of(),
                        () -> afterStored(route, values), null)));
                if (!followUps.isEmpty()) {
                    persist(followUps);
                }
                commit(records);
            }
            setStatus(ConsumerStatus.Phase.STOPPED, "stopped");
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
            setStatus(ConsumerStatus.Phase.STOPPED, "stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            setStatus(ConsumerStatus.Phase.STOPPED, "interrupted");
        } catch (RuntimeException e) {
            LOG.error("consumer {} failed; nothing after its last committed batch is lost (replayed at restart)", name, e);
            setStatus(ConsumerStatus.Phase.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        } finally {
            consumer.close();
        }
    }

    /**
     * One request still to be acknowledged: the upserts of rows of one partition key (a single statement, or a
     * single-partition unlogged batch; {@code rowsByTable} counts them per table), or a dead letter or follow-up
     * (no rows). {@code whenRefused} says what replaces it when Cassandra refuses it for good.
     */
    private record Pending(String label, Map<String, Integer> rowsByTable, Supplier<CompletableFuture<?>> start,
                           Supplier<List<Pending>> whenRefused) {
    }

    /** One row upsert of a polled record, before grouping. */
    private record RowWrite(CqlWrite write, Supplier<Pending> deadLetter, String label) {
    }

    @SuppressWarnings("unchecked")
    private static <V> CompletableFuture<?> afterStored(Route<V> route, List<Object> values) {
        return route.handler().afterStored((List<V>) values);
    }

    /**
     * @param stored receives, per route, the records whose writes these are
     * @return the batch's writes, or null when the batch was rewound because the registry is unreachable
     */
    private List<Pending> prepare(ConsumerRecords<String, byte[]> records, Map<Route<?>, List<Object>> stored)
            throws InterruptedException {
        List<Pending> pending = new ArrayList<>();
        List<RowWrite> rows = new ArrayList<>(records.count() * 2);
        for (ConsumerRecord<String, byte[]> r : records) {
            KafkaPosition position = new KafkaPosition(r.topic(), r.partition(), r.offset());
            Route<?> route = routes.get(r.topic());
            if (route == null) {
                throw new IllegalStateException("consumer " + name + " got a record of " + r.topic() + ", which it does not read");
            }
            if (!prepareRecord(r, position, route, rows, pending, stored)) {
                rewind(records, lastRegistryFailure);
                return null;
            }
        }
        List<List<RowWrite>> groups = PartitionBatches.group(PartitionBatches.latestOnly(rows, rw -> rw.write().latestOf()),
                r -> PartitionBatches.partitionOf(r.write()), maxRowsPerRequest);
        Optional<TokenMap> tokens = maxRequestBytes > 0 ? session.getMetadata().getTokenMap() : Optional.empty();
        for (List<List<RowWrite>> pack : PartitionBatches.pack(groups, g -> replicasOf(tokens, g),
                TopicSink::valueBytes, maxRequestBytes)) {
            pending.add(pack.size() == 1 ? request(pack.get(0)) : packedRequest(pack));
        }
        return pending;
    }

    /** @return false when the registry is unreachable (the batch must be rewound) */
    private <V> boolean prepareRecord(ConsumerRecord<String, byte[]> r, KafkaPosition position, Route<V> route,
                                      List<RowWrite> rows, List<Pending> pending, Map<Route<?>, List<Object>> stored) {
        RecordHandler<V> handler = route.handler();
        V value;
        try {
            value = r.value() == null ? null : route.deserializer().deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            if (registryUnreachable(r.value(), e)) {
                lastRegistryFailure = e;
                return false;
            }
            LOG.warn("poison record at {}: not a record of the topic's schema ({}); dead-lettered", position,
                    e.toString());
            pending.add(deadLetter(r, position, handler, null, DeadLetters.UNDESERIALISABLE, null,
                    "value cannot be deserialised: " + rootMessage(e)));
            return true;
        }
        if (value == null) {
            pending.add(deadLetter(r, position, handler, null, DeadLetters.UNDESERIALISABLE, null,
                    "value is empty (a tombstone); nothing to store"));
            return true;
        }
        try {
            for (CqlWrite w : handler.writes(value, position)) {
                rows.add(new RowWrite(w, () -> deadLetter(r, position, handler, value, DeadLetters.CASSANDRA_REFUSED,
                        null, "Cassandra refused the row for " + w.table()), position.toString()));
            }
            stored.computeIfAbsent(route, k -> new ArrayList<>()).add(value);
        } catch (InvalidRecordException e) {
            LOG.warn("invalid record at {}: {} ({}); dead-lettered", position, e.reason(), e.getMessage());
            pending.add(deadLetter(r, position, handler, value, e.reason(), e.field(), e.getMessage()));
        }
        return true;
    }

    /**
     * The request for rows of one partition of one table, in their polled order: one statement, or a
     * single-partition unlogged batch (one mutation for Cassandra: atomic and isolated within the
     * partition, and far cheaper than as many separate writes). A batch Cassandra refuses for good is
     * retried row by row, so only the offending row becomes a dead letter.
     */
    private Pending request(List<RowWrite> group) {
        RowWrite first = group.get(0);
        Map<String, Integer> rowsByTable = rowsByTable(group);
        if (group.size() == 1) {
            return new Pending(first.label(), rowsByTable,
                    () -> session.executeAsync(first.write().statement()).toCompletableFuture(),
                    () -> List.of(first.deadLetter().get()));
        }
        BatchStatement batch = PartitionBatches.batch(group.stream().map(g -> g.write().statement()).toList());
        return new Pending(first.label() + " and " + (group.size() - 1) + " more", rowsByTable,
                () -> session.executeAsync(batch).toCompletableFuture(),
                () -> group.stream().map(g -> request(List.of(g))).toList());
    }

    /**
     * One request for the groups of several partitions on the same replicas: a multi-partition unlogged batch, which
     * Cassandra still applies as one mutation per partition. Refused for good, each partition's group is retried on
     * its own (and so, if need be, row by row).
     */
    private Pending packedRequest(List<List<RowWrite>> pack) {
        List<RowWrite> rows = pack.stream().flatMap(List::stream).toList();
        BatchStatement batch = PartitionBatches.batch(rows.stream().map(r -> r.write().statement()).toList());
        return new Pending(rows.get(0).label() + " and " + (rows.size() - 1) + " more, " + pack.size() + " partitions",
                rowsByTable(rows), () -> session.executeAsync(batch).toCompletableFuture(),
                () -> pack.stream().map(this::request).toList());
    }

    private static Map<String, Integer> rowsByTable(List<RowWrite> rows) {
        Map<String, Integer> byTable = new HashMap<>();
        for (RowWrite r : rows) {
            byTable.merge(r.write().table(), 1, Integer::sum);
        }
        return byTable;
    }

    /** @return the nodes holding the group's partition, or null when the driver cannot tell */
    private static Object replicasOf(Optional<TokenMap> tokens, List<RowWrite> group) {
        BoundStatement first = group.get(0).write().statement();
        CqlIdentifier keyspace = first.getRoutingKeyspace();
        ByteBuffer key = first.getRoutingKey();
        if (tokens.isEmpty() || keyspace == null || key == null) {
            return null;
        }
        Set<Node> replicas = tokens.get().getReplicas(keyspace, key);
        return replicas.isEmpty() ? null : replicas;
    }

    /** @return the bytes of the group's bound values, about what Cassandra counts against its batch size limits */
    private static int valueBytes(List<RowWrite> group) {
        int bytes = 0;
        for (RowWrite g : group) {
            for (ByteBuffer v : g.write().statement().getValues()) {
                bytes += v == null ? 0 : v.remaining();
            }
        }
        return bytes;
    }

    private <V> Pending deadLetter(ConsumerRecord<String, byte[]> r, KafkaPosition position, RecordHandler<V> handler,
                                   V value, String reason, String field, String message) {
        var letter = deadLetters.letter(r.key(), r.value(), value == null ? null : handler.dataset(value),
                value == null ? null : handler.symbol(value), value == null ? null : handler.source(value), position,
                reason, field, message);
        return new Pending(position.toString(), Map.of(), () -> deadLetters.send(r.key(), letter)
                .thenRun(metrics::recordDeadLetter), null);
    }

    /** Starts every write, waits for all, and retries the failed ones (paused, with back-off) until all succeed. */
    private void persist(List<Pending> batch) throws InterruptedException {
        List<Pending> outstanding = batch;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            List<CompletableFuture<?>> futures = new ArrayList<>(outstanding.size());
            for (Pending p : outstanding) {
                futures.add(limiter.submit(p.start()));
            }
            List<Pending> failed = new ArrayList<>();
            List<Pending> refused = new ArrayList<>();
            Throwable lastError = null;
            for (int i = 0; i < outstanding.size(); i++) {
                Pending p = outstanding.get(i);
                try {
                    futures.get(i).join();
                    p.rowsByTable().forEach(metrics::rowsWritten);
                    if (!p.rowsByTable().isEmpty()) {
                        metrics.requestWritten();
                    }
                } catch (CompletionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    if (cause instanceof QueryValidationException && p.whenRefused() != null) {
                        // Cassandra refuses this for good: retrying cannot help; a request of several rows is
                        // retried in parts, and a row alone becomes a dead letter
                        int rows = p.rowsByTable().values().stream().mapToInt(Integer::intValue).sum();
                        LOG.warn("Cassandra refused a write of {} to {}: {}; {}", p.label(), p.rowsByTable().keySet(),
                                cause.getMessage(), rows > 1 ? "retrying its parts alone" : "dead-lettered");
                        refused.addAll(p.whenRefused().get());
                    } else {
                        failed.add(p);
                        lastError = cause;
                    }
                }
            }
            if (failed.isEmpty() && refused.isEmpty()) {
                resumeIfPaused();
                return;
            }
            if (failed.isEmpty()) {
                outstanding = refused;
                continue;
            }
            failed.addAll(refused);
            if (stopping.get()) {
                throw new WakeupException();
            }
            metrics.writeRetried(failed.size());
            pauseAll();
            String reason = failed.size() + " of " + outstanding.size() + " writes failed (" + lastError.getClass().getSimpleName()
                    + ": " + lastError.getMessage() + "); retrying in " + backoff.toMillis() + " ms, not committing";
            setStatus(ConsumerStatus.Phase.CASSANDRA_DOWN, reason);
            LOG.warn("{}: {}", name, reason);
            idle(backoff);
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            outstanding = failed;
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

    private void pauseAll() {
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        paused.addAll(assigned);
    }

    private void resumeIfPaused() {
        if (!paused.isEmpty()) {
            Set<TopicPartition> stillAssigned = new HashSet<>(paused);
            stillAssigned.retainAll(consumer.assignment());
            consumer.resume(stillAssigned);
            paused.clear();
            LOG.info("{}: writes acknowledged again, resumed", name);
        }
    }

    private void rewind(ConsumerRecords<String, byte[]> records, RuntimeException cause) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        if (cause != null) {
            String reason = "schema registry unreachable (" + rootMessage(cause) + "); batch rewound, retrying";
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
            LOG.warn("{}: commit refused after a rebalance ({}); the batch will be replayed, idempotently", name,
                    e.getMessage());
        }
        updateLag();
    }

    private void updateLag() {
        long total = 0;
        Map<String, Long> byTopic = new java.util.TreeMap<>();
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

    private static boolean registryUnreachable(byte[] bytes, Throwable e) {
        if (bytes == null || bytes.length < WIRE_HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof SocketException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
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

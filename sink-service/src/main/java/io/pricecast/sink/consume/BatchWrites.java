package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import io.pricecast.runtime.LogContext;
import io.pricecast.schemas.RejectReason;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one polled batch becomes: its records deserialised and checked by their topic's {@link RecordHandler}, poison
 * records turned into dead letters, and the row upserts grouped by partition key, across tables and topics, into
 * requests (a series' price, forecast and scored-forecast rows share their partition key {@code (dataset, symbol)},
 * so they travel as one single-partition unlogged batch, one mutation for Cassandra). Nothing is written here and
 * nothing is read from Cassandra but the driver's token map.
 */
final class BatchWrites implements ConsumeLoop.Planner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWrites.class);
    private static final int MAGIC_BYTE = 0;
    private static final int WIRE_HEADER_BYTES = 5;

    private final String name;
    private final Map<String, ConsumeLoop.Route<?>> routes;
    private final int maxRowsPerRequest;
    private final int maxRequestBytes;
    private final CqlSession session;
    private final DeadLetters deadLetters;
    private final SinkMeters metrics;

    /**
     * @param name              the consumer's name
     * @param routes            topic → what its records become
     * @param maxRowsPerRequest most rows of one partition key in one request (a single-partition unlogged batch)
     * @param maxRequestBytes   most value bytes of a request packing several partitions on the same replicas; 0: a
     *                          request per partition
     * @param session           the process's session (its token map, and what the writes run on)
     * @param deadLetters       where poison records go
     * @param metrics           counters
     */
    BatchWrites(
            String name,
            Map<String, ConsumeLoop.Route<?>> routes,
            int maxRowsPerRequest,
            int maxRequestBytes,
            CqlSession session,
            DeadLetters deadLetters,
            SinkMeters metrics) {
        this.name = name;
        this.routes = Map.copyOf(routes);
        this.maxRowsPerRequest = maxRowsPerRequest;
        this.maxRequestBytes = maxRequestBytes;
        this.session = session;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** One row upsert of a polled record, before grouping. */
    private record RowWrite(CqlWrite write, Supplier<Write> deadLetter, String label) {}

    @Override
    public ConsumeLoop.Plan plan(ConsumerRecords<String, byte[]> records) throws RegistryUnreachableException {
        List<Write> writes = new ArrayList<>();
        Map<ConsumeLoop.Route<?>, List<Object>> stored = new LinkedHashMap<>();
        List<RowWrite> rows = new ArrayList<>(records.count() * 2);
        for (ConsumerRecord<String, byte[]> r : records) {
            ConsumeLoop.Route<?> route = routes.get(r.topic());
            if (route == null) {
                throw new IllegalStateException(
                        "consumer " + name + " got a record of " + r.topic() + ", which it does not read");
            }
            try (LogContext ignored = LogContext.record(r.topic(), r.partition(), r.offset())) {
                prepareRecord(r, new KafkaPosition(r.topic(), r.partition(), r.offset()), route, rows, writes, stored);
            }
        }
        List<List<RowWrite>> groups = PartitionBatches.group(
                PartitionBatches.latestOnly(rows, rw -> rw.write().latestOf()),
                r -> PartitionBatches.partitionOf(r.write()),
                maxRowsPerRequest);
        Optional<TokenMap> tokens = maxRequestBytes > 0 ? session.getMetadata().getTokenMap() : Optional.empty();
        for (List<List<RowWrite>> pack :
                PartitionBatches.pack(groups, g -> replicasOf(tokens, g), BatchWrites::valueBytes, maxRequestBytes)) {
            writes.add(pack.size() == 1 ? request(pack.get(0)) : packedRequest(pack));
        }
        List<Write> followUps = new ArrayList<>();
        stored.forEach((route, values) ->
                followUps.add(new Write(name + " batch follow-up", Map.of(), () -> afterStored(route, values), null)));
        return new ConsumeLoop.Plan(writes, followUps);
    }

    @SuppressWarnings("unchecked")
    private static <V> CompletableFuture<?> afterStored(ConsumeLoop.Route<V> route, List<Object> values) {
        return route.handler().afterStored((List<V>) values);
    }

    private <V> void prepareRecord(
            ConsumerRecord<String, byte[]> r,
            KafkaPosition position,
            ConsumeLoop.Route<V> route,
            List<RowWrite> rows,
            List<Write> writes,
            Map<ConsumeLoop.Route<?>, List<Object>> stored)
            throws RegistryUnreachableException {
        RecordHandler<V> handler = route.handler();
        V value;
        try {
            value = r.value() == null ? null : route.deserializer().deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            if (registryUnreachable(r.value(), e)) {
                throw new RegistryUnreachableException(e);
            }
            LOG.warn(
                    "poison record at {}: not a record of the topic's schema ({}); dead-lettered",
                    position,
                    e.toString());
            writes.add(deadLetter(
                    r,
                    position,
                    handler,
                    null,
                    RejectReason.UNDESERIALISABLE.code(),
                    null,
                    "value cannot be deserialised: " + rootMessage(e)));
            return;
        }
        if (value == null) {
            writes.add(deadLetter(
                    r,
                    position,
                    handler,
                    null,
                    RejectReason.UNDESERIALISABLE.code(),
                    null,
                    "value is empty (a tombstone); nothing to store"));
            return;
        }
        try {
            for (CqlWrite w : handler.writes(value, position)) {
                rows.add(new RowWrite(
                        w,
                        () -> deadLetter(
                                r,
                                position,
                                handler,
                                value,
                                RejectReason.CASSANDRA_REFUSED.code(),
                                null,
                                "Cassandra refused the row for " + w.table()),
                        position.toString()));
            }
            stored.computeIfAbsent(route, k -> new ArrayList<>()).add(value);
        } catch (InvalidRecordException e) {
            LOG.warn("invalid record at {}: {} ({}); dead-lettered", position, e.reason(), e.getMessage());
            writes.add(deadLetter(r, position, handler, value, e.reason(), e.field(), e.getMessage()));
        }
    }

    /**
     * The request for rows of one partition of one table, in their polled order: one statement, or a
     * single-partition unlogged batch (one mutation for Cassandra: atomic and isolated within the
     * partition, and far cheaper than as many separate writes). A batch Cassandra refuses for good is
     * retried row by row, so only the offending row becomes a dead letter.
     */
    private Write request(List<RowWrite> group) {
        RowWrite first = group.get(0);
        Map<String, Integer> rowsByTable = rowsByTable(group);
        if (group.size() == 1) {
            return new Write(
                    first.label(),
                    rowsByTable,
                    () -> session.executeAsync(first.write().statement()).toCompletableFuture(),
                    () -> List.of(first.deadLetter().get()));
        }
        BatchStatement batch = PartitionBatches.batch(
                group.stream().map(g -> g.write().statement()).toList());
        return new Write(
                first.label() + " and " + (group.size() - 1) + " more",
                rowsByTable,
                () -> session.executeAsync(batch).toCompletableFuture(),
                () -> group.stream().map(g -> request(List.of(g))).toList());
    }

    /**
     * One request for the groups of several partitions on the same replicas: a multi-partition unlogged batch, which
     * Cassandra still applies as one mutation per partition. Refused for good, each partition's group is retried on
     * its own (and so, if need be, row by row).
     */
    private Write packedRequest(List<List<RowWrite>> pack) {
        List<RowWrite> rows = pack.stream().flatMap(List::stream).toList();
        BatchStatement batch = PartitionBatches.batch(
                rows.stream().map(r -> r.write().statement()).toList());
        return new Write(
                rows.get(0).label() + " and " + (rows.size() - 1) + " more, " + pack.size() + " partitions",
                rowsByTable(rows),
                () -> session.executeAsync(batch).toCompletableFuture(),
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

    private <V> Write deadLetter(
            ConsumerRecord<String, byte[]> r,
            KafkaPosition position,
            RecordHandler<V> handler,
            V value,
            String reason,
            String field,
            String message) {
        var letter = deadLetters.letter(
                r.key(),
                r.value(),
                value == null ? null : handler.dataset(value),
                value == null ? null : handler.symbol(value),
                value == null ? null : handler.source(value),
                position,
                reason,
                field,
                message);
        return new Write(
                position.toString(),
                Map.of(),
                () -> deadLetters.send(r.key(), letter).thenRun(metrics::recordDeadLetter),
                null);
    }

    /** @return whether a value in the registry's wire format failed to deserialise for want of the registry */
    private static boolean registryUnreachable(byte[] bytes, Throwable e) {
        if (bytes == null || bytes.length < WIRE_HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException
                    || t instanceof SocketException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** @return the innermost cause's class and message */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}

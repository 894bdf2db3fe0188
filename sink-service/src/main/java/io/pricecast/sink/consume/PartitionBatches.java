package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import io.pricecast.sink.cql.CqlWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Groups row upserts by the partition key they write, so the rows of one partition key travel as one
 * single-partition unlogged batch: for Cassandra one mutation, applied atomically, instead of as many
 * separate writes. Tables sharing a partition key share the mutation too (Cassandra keeps one mutation
 * per keyspace and partition key, holding every table's rows of it): a series' price, forecast and
 * scored-forecast rows, all keyed {@code (dataset, symbol)}, are one mutation. A backfill delivers a series'
 * days together, so most of a polled batch groups this way; a daily feed groups a series' three rows.
 *
 * <p>Small groups whose partitions live on the same replicas are then packed into one request (a multi-partition
 * unlogged batch, {@link #pack}): Cassandra still applies each partition's rows as one mutation, but a daily feed of
 * 10,000 series becomes a few hundred requests instead of 10,000, and on these nodes a request, not a row, is most
 * of the cost.
 */
final class PartitionBatches {

    private PartitionBatches() {}

    /**
     * @param write an upsert
     * @return the partition key it writes (whatever the table: equal keys are one mutation), or null when the
     *         driver cannot tell
     */
    static Object partitionOf(CqlWrite write) {
        return write.statement().getRoutingKey();
    }

    /**
     * Keeps, of the items with the same non-null key, only the last: a row whose newest value is all that matters
     * is written once per polled batch.
     *
     * @param items in polled order
     * @param keyOf an item's key, or null for an item always kept
     * @param <T>   item type
     * @return the items kept, in their order
     */
    static <T> List<T> latestOnly(List<T> items, Function<T, Object> keyOf) {
        Map<Object, Integer> last = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Object key = keyOf.apply(items.get(i));
            if (key != null) {
                last.put(key, i);
            }
        }
        if (last.isEmpty()) {
            return items;
        }
        List<T> kept = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object key = keyOf.apply(items.get(i));
            if (key == null || last.get(key) == i) {
                kept.add(items.get(i));
            }
        }
        return kept;
    }

    /**
     * @param items       the writes, in polled order
     * @param partitionOf an item's partition ({@link #partitionOf(CqlWrite)}); null: a group of its own
     * @param maxRows     most rows per group
     * @param <T>         item type
     * @return the groups, in order of their first item; within a group, polled order
     */
    static <T> List<List<T>> group(List<T> items, Function<T, Object> partitionOf, int maxRows) {
        Map<Object, List<T>> open = new LinkedHashMap<>();
        List<List<T>> groups = new ArrayList<>();
        for (T item : items) {
            Object key = maxRows <= 1 ? null : partitionOf.apply(item);
            if (key == null) {
                groups.add(List.of(item));
                continue;
            }
            List<T> group = open.get(key);
            if (group == null) {
                group = new ArrayList<>(Math.min(maxRows, 8));
                open.put(key, group);
                groups.add(group);
            }
            group.add(item);
            if (group.size() == maxRows) {
                open.remove(key);
            }
        }
        return groups;
    }

    /** Most partitions packed into one request. */
    static final int MAX_PARTITIONS_PER_REQUEST = 64;

    /**
     * Packs groups (each one partition's rows) into requests: groups with the same replicas go together, in their
     * order, while the request stays within {@code maxBytes} and {@link #MAX_PARTITIONS_PER_REQUEST}. A group of more
     * than half of {@code maxBytes}, or whose replicas are unknown, is a request of its own.
     *
     * @param groups     per-partition groups, in order
     * @param replicasOf a group's replicas (equal values: the same nodes), or null when unknown
     * @param bytesOf    a group's size as Cassandra counts a batch (its values)
     * @param maxBytes   most bytes of a request of several groups; 0 or less packs nothing
     * @param <T>        item type
     * @return the requests, each a list of groups, in order of their first group
     */
    static <T> List<List<List<T>>> pack(
            List<List<T>> groups, Function<List<T>, Object> replicasOf, ToIntFunction<List<T>> bytesOf, int maxBytes) {
        List<List<List<T>>> packs = new ArrayList<>();
        Map<Object, List<List<T>>> open = new HashMap<>();
        Map<Object, Integer> openBytes = new HashMap<>();
        for (List<T> group : groups) {
            int bytes = maxBytes <= 0 ? 0 : bytesOf.applyAsInt(group);
            Object replicas = maxBytes <= 0 || bytes > maxBytes / 2 ? null : replicasOf.apply(group);
            if (replicas == null) {
                packs.add(List.of(group));
                continue;
            }
            List<List<T>> pack = open.get(replicas);
            if (pack != null
                    && (openBytes.get(replicas) + bytes > maxBytes || pack.size() == MAX_PARTITIONS_PER_REQUEST)) {
                pack = null;
            }
            if (pack == null) {
                pack = new ArrayList<>();
                open.put(replicas, pack);
                openBytes.put(replicas, 0);
                packs.add(pack);
            }
            pack.add(group);
            openBytes.merge(replicas, bytes, Integer::sum);
        }
        return packs;
    }

    /**
     * @param statements upserts, of one partition or of several on the same replicas
     * @return them as one idempotent unlogged batch
     */
    static BatchStatement batch(List<BoundStatement> statements) {
        return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements.toArray(BoundStatement[]::new))
                .setIdempotent(true);
    }
}

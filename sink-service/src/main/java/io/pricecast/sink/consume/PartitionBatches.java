package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import io.pricecast.sink.cql.CqlWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Groups row upserts by the partition key they write, so the rows of one partition key travel as one
 * single-partition unlogged batch: for Cassandra one mutation, applied atomically, instead of as many
 * separate writes. Tables sharing a partition key share the mutation too (Cassandra keeps one mutation
 * per keyspace and partition key, holding every table's rows of it): a series' price, forecast and
 * scored-forecast rows, all keyed {@code (dataset, symbol)}, are one mutation. A backfill delivers a series'
 * days together, so most of a polled batch groups this way; a daily feed groups a series' three rows.
 */
final class PartitionBatches {

    private PartitionBatches() {
    }

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
        Map<Object, Integer> last = new java.util.HashMap<>();
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
     * @param request     what a group becomes
     * @param <T>         item type
     * @param <R>         request type
     * @return one request per group, groups in order of their first item; within a group, polled order
     */
    static <T, R> List<R> group(List<T> items, Function<T, Object> partitionOf, int maxRows, Function<List<T>, R> request) {
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
        List<R> requests = new ArrayList<>(groups.size());
        for (List<T> g : groups) {
            requests.add(request.apply(g));
        }
        return requests;
    }

    /**
     * @param statements upserts of one partition
     * @return them as one idempotent single-partition unlogged batch
     */
    static BatchStatement batch(List<BoundStatement> statements) {
        return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements.toArray(BoundStatement[]::new))
                .setIdempotent(true);
    }
}

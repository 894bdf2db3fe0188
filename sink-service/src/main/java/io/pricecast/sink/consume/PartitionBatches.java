package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import io.pricecast.sink.cql.CqlWrite;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Groups row upserts by the partition they write (table and partition key), so the rows of one
 * partition travel as one single-partition unlogged batch: for Cassandra one mutation, applied
 * atomically, instead of as many separate writes. A backfill delivers a series' days together, so
 * most of a polled batch groups this way; a daily feed (one row per series) is unchanged.
 */
final class PartitionBatches {

    private PartitionBatches() {
    }

    /**
     * @param write an upsert
     * @return the partition it writes (table and partition key), or null when the driver cannot tell
     */
    static Object partitionOf(CqlWrite write) {
        ByteBuffer routing = write.statement().getRoutingKey();
        return routing == null ? null : new PartitionKey(write.table(), routing);
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

    private record PartitionKey(String table, ByteBuffer routingKey) {
        PartitionKey {
            Objects.requireNonNull(table);
        }
    }
}

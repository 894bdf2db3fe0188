package io.pricecast.sink.consume;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One request of a polled batch still to be acknowledged: the upserts of rows of one partition key (a single
 * statement, or a single-partition unlogged batch), the groups of several partitions packed into one request, or a
 * dead letter or follow-up (no rows).
 *
 * @param label       what it is, for the log (a record's position, and how many more)
 * @param rowsByTable rows per table it writes (empty for a dead letter or a follow-up)
 * @param start       starts it (again, when retried)
 * @param whenRefused what replaces it when Cassandra refuses it for good (its parts, or a dead letter); null when
 *                    nothing can (it is retried like a transient failure)
 */
record Write(
        String label,
        Map<String, Integer> rowsByTable,
        Supplier<CompletableFuture<?>> start,
        Supplier<List<Write>> whenRefused) {

    /** @return the rows it writes, over all tables */
    int rows() {
        return rowsByTable.values().stream().mapToInt(Integer::intValue).sum();
    }
}

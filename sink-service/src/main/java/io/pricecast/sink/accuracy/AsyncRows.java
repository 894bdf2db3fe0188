package io.pricecast.sink.accuracy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Many small asynchronous queries, a bounded number at a time, each read to its last page. */
final class AsyncRows {

    /** Queries in flight at once per call (the sink's writes have their own bound). */
    static final int PARALLEL = 64;

    private AsyncRows() {
    }

    /**
     * Runs one statement per item, at most {@link #PARALLEL} at once, and waits for all.
     *
     * @param session   the session
     * @param items     the items
     * @param statement the statement of an item
     * @param <T>       item type
     * @return every item's rows (all pages), in item order
     */
    static <T> List<List<Row>> each(CqlSession session, List<T> items, Function<T, Statement<?>> statement) {
        List<List<Row>> result = new ArrayList<>(items.size());
        for (int start = 0; start < items.size(); start += PARALLEL) {
            List<CompletableFuture<List<Row>>> chunk = new ArrayList<>();
            for (T item : items.subList(start, Math.min(items.size(), start + PARALLEL))) {
                chunk.add(all(session.executeAsync(statement.apply(item)), new ArrayList<>()).toCompletableFuture());
            }
            for (CompletableFuture<List<Row>> f : chunk) {
                result.add(f.join());
            }
        }
        return result;
    }

    private static CompletionStage<List<Row>> all(CompletionStage<AsyncResultSet> page, List<Row> into) {
        return page.thenCompose(rs -> {
            rs.currentPage().forEach(into::add);
            return rs.hasMorePages() ? all(rs.fetchNextPage(), into) : CompletableFuture.completedFuture(into);
        });
    }
}

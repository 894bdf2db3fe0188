package io.pricecast.sink.chart;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.sink.cql.SinkTables;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What the chart page's pickers list: the datasets, and a dataset's symbols by prefix, from {@code symbols_by_dataset}. */
public final class ChartQueries {

    /** The most symbols one search answers with. */
    public static final int MAX_SYMBOLS = 200;

    private final CqlSession session;
    private final PreparedStatement datasets;
    private final PreparedStatement symbolsFrom;

    /**
     * @param session  the session
     * @param keyspace keyspace
     */
    public ChartQueries(CqlSession session, String keyspace) {
        this.session = session;
        this.datasets =
                session.prepare("SELECT DISTINCT dataset FROM " + keyspace + "." + SinkTables.SYMBOLS_BY_DATASET);
        this.symbolsFrom = session.prepare("SELECT symbol FROM " + keyspace + "." + SinkTables.SYMBOLS_BY_DATASET
                + " WHERE dataset = ? AND symbol >= ? LIMIT ?");
    }

    /** @return every dataset that has a series, sorted (one row per partition: a dataset is one partition) */
    public List<String> datasets() {
        TreeSet<String> result = new TreeSet<>();
        session.execute(datasets.bind()).forEach(r -> result.add(r.getString(0)));
        return List.copyOf(result);
    }

    /**
     * The symbols that start with {@code prefix}, as typed or in upper case (tickers usually are), in
     * order; a clustering-range read, so it costs the same with 10 or 10,000 symbols.
     *
     * @param dataset dataset
     * @param prefix  the typed start, empty for the first symbols
     * @param limit   at most this many (capped at {@link #MAX_SYMBOLS})
     * @return the matches
     */
    public List<String> symbols(String dataset, String prefix, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_SYMBOLS));
        TreeSet<String> result = new TreeSet<>(startingWith(dataset, prefix, n));
        String upper = prefix.toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals(prefix)) {
            result.addAll(startingWith(dataset, upper, n));
        }
        return new ArrayList<>(result).subList(0, Math.min(n, result.size()));
    }

    private List<String> startingWith(String dataset, String prefix, int limit) {
        List<String> result = new ArrayList<>();
        for (var row : session.execute(symbolsFrom.bind(dataset, prefix, limit))) {
            String s = row.getString(0);
            if (!s.startsWith(prefix)) {
                break;
            }
            result.add(s);
        }
        return result;
    }
}

package io.pricecast.ingest.upload;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.pricecast.schemas.SharedTables;
import java.util.Map;
import java.util.TreeMap;

/**
 * How scoring judged an upload's records against their series' history, summed over the input partitions: the
 * {@code upload_verdicts} rows the sink writes from {@code uploads.verdicts}. Read only for an upload's status (never
 * while publishing). The table is the sink's: until the sink created it, every upload reads as not judged yet.
 */
public final class UploadVerdictsView {

    /**
     * An upload's verdicts so far.
     *
     * @param judged      records judged: accepted + duplicates + rejected
     * @param accepted    records that extended their series
     * @param duplicates  exact repeats of their series' newest day
     * @param rejected    refused against the history, by reason
     * @param forecasts   accepted records whose forecast was published
     * @param notForecast accepted records without a forecast, by reason
     */
    public record Verdicts(
            long judged,
            long accepted,
            long duplicates,
            Map<String, Long> rejected,
            long forecasts,
            Map<String, Long> notForecast) {
        static final Verdicts NONE = new Verdicts(0, 0, 0, Map.of(), 0, Map.of());

        /** @return records refused against the history */
        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * @return accepted records with neither a forecast nor a reason for none yet: a batch's forecasts come after
         *     the verdicts of its records
         */
        public long forecastsPending() {
            return Math.max(
                    0,
                    accepted
                            - forecasts
                            - notForecast.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum());
        }
    }

    private final CqlSession session;
    private final String keyspace;
    private volatile PreparedStatement select;

    /**
     * @param session  the process's session
     * @param keyspace the keyspace the sink writes
     */
    public UploadVerdictsView(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
    }

    /** @return the upload's verdicts, summed over its partitions ({@link Verdicts#NONE} before any) */
    public Verdicts of(String uploadId) {
        PreparedStatement statement = prepared();
        if (statement == null) {
            return Verdicts.NONE;
        }
        long judged = 0;
        long accepted = 0;
        long duplicates = 0;
        long forecasts = 0;
        Map<String, Long> rejected = new TreeMap<>();
        Map<String, Long> notForecast = new TreeMap<>();
        for (Row r : session.execute(statement.bind(uploadId))) {
            judged += r.getLong("judged");
            accepted += r.getLong("accepted");
            duplicates += r.getLong("duplicates");
            forecasts += r.getLong("forecasts");
            r.getMap("rejected", String.class, Long.class).forEach((k, v) -> rejected.merge(k, v, Long::sum));
            r.getMap("not_forecast", String.class, Long.class).forEach((k, v) -> notForecast.merge(k, v, Long::sum));
        }
        return new Verdicts(judged, accepted, duplicates, rejected, forecasts, notForecast);
    }

    private PreparedStatement prepared() {
        PreparedStatement s = select;
        if (s == null) {
            try {
                s = session.prepare("SELECT judged, accepted, duplicates, rejected, forecasts, not_forecast FROM "
                        + keyspace + "." + SharedTables.UPLOAD_VERDICTS + " WHERE upload_id = ?");
                select = s;
            } catch (InvalidQueryException e) {
                return null; // the sink has not created its table yet
            }
        }
        return s;
    }
}

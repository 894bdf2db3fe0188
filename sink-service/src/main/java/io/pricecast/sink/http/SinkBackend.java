package io.pricecast.sink.http;

import io.pricecast.sink.cql.LineageQueries;
import io.pricecast.sink.cql.SymbolCatalog;
import io.pricecast.sink.export.PredictionsCsvExport;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP API serves from, once Cassandra is connected.
 *
 * @param export   the predictions CSV
 * @param lineage  the lineage look-up
 * @param symbols  the symbol catalogue
 * @param session  the process's session
 */
public record SinkBackend(
        PredictionsCsvExport export,
        LineageQueries lineage,
        SymbolCatalog symbols,
        com.datastax.oss.driver.api.core.CqlSession session) {

    /** Health and metrics, computed at request time. */
    public interface Status {
        /** @return null when healthy, otherwise why not */
        String unhealthyReason();

        /** @return why the process cannot recover without a restart (a consumer failed), or empty */
        Optional<String> fatalReason();

        /** @return the status document of {@code GET /status}: the consumers, Cassandra, writes and accuracy */
        Map<String, Object> status();
    }
}

package io.pricecast.ingest.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies ingest-service's versioned DDL ({@code cql/V*.cql} on the classpath) to the configured
 * keyspace at start-up. Every statement is {@code IF NOT EXISTS}, so applying them again is harmless.
 */
public final class CqlSchema {

    /** The DDL files, in version order. */
    static final List<String> FILES = List.of("cql/V001__ingest_tables.cql", "cql/V002__history_moved_to_scoring.cql",
            "cql/V003__upload_owner.cql");
    private static final String KEYSPACE_PLACEHOLDER = "${keyspace}";
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

    private CqlSchema() {
    }

    /**
     * @param session  the process's session
     * @param keyspace the keyspace, which exists already
     */
    public static void apply(CqlSession session, String keyspace) {
        for (String file : FILES) {
            for (String statement : statements(file, keyspace)) {
                session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
            }
        }
        session.checkSchemaAgreement();
    }

    static List<String> statements(String file, String keyspace) {
        String text;
        try (InputStream in = CqlSchema.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("DDL file " + file + " is not on the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DDL file " + file, e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip().replace(KEYSPACE_PLACEHOLDER, keyspace));
            }
        }
        return statements;
    }
}

package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sink's tables, from the versioned {@code cql/*.cql} resources, applied in order at every start.
 * Every statement is {@code IF NOT EXISTS} (tables, types, added columns), so applying them again is harmless.
 */
public final class SinkSchema {

    /** The schema files, oldest first. A change to a table is a new file, never an edit of an applied one. */
    public static final List<String> FILES = List.of("cql/V1__sink_tables.cql", "cql/V2__accuracy_tables.cql",
            "cql/V3__compact_rows.cql");

    private static final String KEYSPACE_PLACEHOLDER = "${keyspace}";
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern COMMENT = Pattern.compile("(?m)^\\s*--.*$");

    private SinkSchema() {
    }

    /**
     * Creates the types and tables in {@code keyspace} (which must exist).
     *
     * @param session  the session
     * @param keyspace keyspace name
     */
    public static void apply(CqlSession session, String keyspace) {
        for (String statement : statements(keyspace)) {
            session.execute(statement);
        }
    }

    /**
     * @param keyspace keyspace name
     * @return every DDL statement of {@link #FILES}, keyspace filled in
     */
    public static List<String> statements(String keyspace) {
        if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("keyspace name '" + keyspace + "' must match " + KEYSPACE_NAME.pattern());
        }
        List<String> result = new ArrayList<>();
        for (String file : FILES) {
            String text = COMMENT.matcher(read(file)).replaceAll("");
            for (String part : text.split(";")) {
                if (!part.isBlank()) {
                    result.add(part.strip().replace(KEYSPACE_PLACEHOLDER, keyspace));
                }
            }
        }
        return result;
    }

    private static String read(String resource) {
        try (InputStream in = SinkSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}

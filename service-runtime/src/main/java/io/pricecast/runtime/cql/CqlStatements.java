package io.pricecast.runtime.cql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits the text of a CQL migration into statements: whole-line {@code --} comments dropped, statements separated by
 * {@code ;}, {@value #KEYSPACE_PLACEHOLDER} replaced by the keyspace. Every statement must be idempotent, because the
 * migrations are applied again at every start.
 */
public final class CqlStatements {

    /** Stands for the configured keyspace in the files. */
    public static final String KEYSPACE_PLACEHOLDER = "${keyspace}";

    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$");
    /** {@code CREATE ... IF NOT EXISTS}, {@code DROP ... IF EXISTS} and {@code ALTER TABLE ... ADD IF NOT EXISTS}. */
    private static final Pattern IDEMPOTENT =
            Pattern.compile("(?s)(CREATE\\s+\\w+\\s+IF\\s+NOT\\s+EXISTS\\s.*|DROP\\s+\\w+\\s+IF\\s+EXISTS\\s.*"
                    + "|ALTER\\s+TABLE\\s+\\S+\\s+ADD\\s+IF\\s+NOT\\s+EXISTS\\s.*)");

    private CqlStatements() {}

    /**
     * @param source   where the text comes from, for error messages
     * @param text     the file's text
     * @param keyspace the keyspace name to fill in
     * @return the statements in file order, stripped
     * @throws IllegalArgumentException when a statement is not idempotent
     */
    public static List<String> split(String source, String text, String keyspace) {
        List<String> statements = new ArrayList<>();
        for (String part : COMMENT_LINE.matcher(text).replaceAll("").split(";")) {
            if (part.isBlank()) {
                continue;
            }
            String statement = part.strip().replace(KEYSPACE_PLACEHOLDER, keyspace);
            if (!IDEMPOTENT.matcher(statement.toUpperCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException(source + ": a statement applied at every start must be idempotent "
                        + "(CREATE ... IF NOT EXISTS, DROP ... IF EXISTS, ALTER TABLE ... ADD IF NOT EXISTS): "
                        + statement);
            }
            statements.add(statement);
        }
        return statements;
    }
}

package io.pricecast.runtime.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.pricecast.schemas.Keyspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's versioned CQL files ({@link MigrationFile}), applied in version order to a keyspace that exists already,
 * at every start. Nothing records which files were applied: every statement is idempotent ({@link CqlStatements}
 * refuses one that is not), so applying them again is harmless. Each statement gets {@link #STATEMENT_TIMEOUT}; after
 * the last one the runner waits up to {@link #AGREEMENT_TIMEOUT} until every node sees the same schema.
 */
public final class CqlMigrations {

    /** How long one DDL statement may take (DDL is slower than the driver's request timeout allows for). */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** How long the runner waits, after the last statement, for the nodes to agree on the schema. */
    public static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration AGREEMENT_POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(CqlMigrations.class);

    private final List<MigrationFile> files;

    private CqlMigrations(List<MigrationFile> files) {
        this.files = files;
    }

    /**
     * @param resources the classpath resources of one service's migrations, in any order
     * @return the migrations, in version order
     * @throws IllegalArgumentException when a name breaks {@link MigrationFile#NAME}, two files share a version, or a
     *                                  version is missing between V001 and the newest
     */
    public static CqlMigrations of(List<String> resources) {
        List<MigrationFile> files = resources.stream()
                .map(MigrationFile::of)
                .sorted(Comparator.comparingInt(MigrationFile::version))
                .toList();
        for (int i = 0; i < files.size(); i++) {
            MigrationFile file = files.get(i);
            if (file.version() != i + 1) {
                throw new IllegalArgumentException(
                        i > 0 && files.get(i - 1).version() == file.version()
                                ? "CQL migrations " + files.get(i - 1).resource() + " and " + file.resource()
                                        + " share a version"
                                : "CQL migration V" + String.format("%03d", i + 1) + " is missing before "
                                        + file.resource());
            }
        }
        return new CqlMigrations(files);
    }

    /** @return the files, oldest first */
    public List<MigrationFile> files() {
        return files;
    }

    /**
     * @param keyspace the keyspace name to fill in
     * @return every statement of every file, oldest file first
     * @throws IllegalArgumentException when the keyspace name could be anything but a plain name, or a statement is
     *                                  not idempotent
     * @throws IllegalStateException    when a file is missing from the classpath
     */
    public List<String> statements(String keyspace) {
        Keyspace.requireValid(keyspace);
        List<String> statements = new ArrayList<>();
        for (MigrationFile file : files) {
            statements.addAll(CqlStatements.split(file.resource(), read(file.resource()), keyspace));
        }
        return statements;
    }

    /**
     * Applies every statement to {@code keyspace} (which must exist), then waits for schema agreement; when the nodes
     * still disagree after {@link #AGREEMENT_TIMEOUT}, logs a warning and returns (the driver's own wait after each
     * statement has run out too, and a node catches up by itself).
     *
     * @param session  the process's session
     * @param keyspace the keyspace
     */
    public void apply(CqlSession session, String keyspace) {
        for (String statement : statements(keyspace)) {
            session.execute(SimpleStatement.newInstance(statement).setTimeout(STATEMENT_TIMEOUT));
        }
        if (!awaitAgreement(session)) {
            LOG.warn(
                    "the Cassandra nodes do not agree on the schema of keyspace {} {} s after its migrations",
                    keyspace,
                    AGREEMENT_TIMEOUT.toSeconds());
        }
    }

    private static boolean awaitAgreement(CqlSession session) {
        long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(AGREEMENT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static String read(String resource) {
        try (InputStream in = CqlMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CQL migration " + resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CQL migration " + resource, e);
        }
    }
}

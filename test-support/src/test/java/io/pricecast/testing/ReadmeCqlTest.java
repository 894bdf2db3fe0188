package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every CQL statement in the README's {@code cql} blocks runs against a real node, so the docs cannot drift. */
@ExtendWith(RealStack.class)
class ReadmeCqlTest {

    @Test
    void everyCqlQueryOfTheReadmeRuns(StackEndpoints stack) throws IOException {
        List<String> statements = cqlStatements(Path.of("..", "README.md"));
        assertThat(statements).isNotEmpty();
        try (CqlSession session = stack.cqlSession()) {
            session.execute(io.pricecast.schemas.Keyspace.createStatement(io.pricecast.schemas.Keyspace.DEFAULT_NAME, 1));
            for (String cql : statements) {
                assertThat(session.execute(cql).all()).as(cql).isNotEmpty();
            }
        }
    }

    /** The statements of fenced {@code cql} blocks, one per line ending in ';'. */
    static List<String> cqlStatements(Path readme) throws IOException {
        List<String> statements = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inBlock = line.trim().equals("```cql");
                continue;
            }
            if (inBlock && !line.isBlank()) {
                current.append(current.isEmpty() ? "" : " ").append(line.trim());
                if (line.trim().endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1));
                    current.setLength(0);
                }
            }
        }
        return statements;
    }
}

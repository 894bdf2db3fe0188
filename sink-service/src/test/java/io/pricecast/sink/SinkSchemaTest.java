package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.sink.cql.SinkTables;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkSchemaTest {

    @Test
    void everyStatementIsIdempotentAndNamesTheConfiguredKeyspace() {
        List<String> statements = SinkSchema.statements("my_space");
        List<String> alters =
                statements.stream().filter(s -> s.startsWith("ALTER TABLE")).toList();
        assertThat(statements).hasSize(1 + SinkTables.CREATED.size() + alters.size());
        assertThat(alters)
                .hasSize(2)
                .allMatch(s -> s.startsWith("ALTER TABLE my_space.") && s.contains(" ADD IF NOT EXISTS "));
        assertThat(statements)
                .filteredOn(s -> !s.startsWith("ALTER TABLE"))
                .allMatch(s -> s.contains("IF NOT EXISTS my_space."));
        assertThat(statements).noneMatch(s -> s.contains("${keyspace}") || s.contains("--"));
        assertThat(statements)
                .as("the retired pointer table is no longer created")
                .noneMatch(s -> s.contains("predictions_by_id"));
        for (String table : SinkTables.CREATED) {
            assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS my_space." + table + " ("));
        }
    }

    @Test
    void refusesAKeyspaceNameThatCouldInjectCql() {
        assertThatThrownBy(() -> SinkSchema.statements("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyspace name");
    }
}

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
        assertThat(statements).hasSize(1 + SinkTables.ALL.size() + SinkTables.ACCURACY.size());
        assertThat(statements).allMatch(s -> s.contains("IF NOT EXISTS my_space."))
                .noneMatch(s -> s.contains("${keyspace}") || s.contains("--"));
        for (String table : java.util.stream.Stream.concat(SinkTables.ALL.stream(), SinkTables.ACCURACY.stream()).toList()) {
            assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS my_space." + table + " ("));
        }
    }

    @Test
    void refusesAKeyspaceNameThatCouldInjectCql() {
        assertThatThrownBy(() -> SinkSchema.statements("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace name");
    }
}

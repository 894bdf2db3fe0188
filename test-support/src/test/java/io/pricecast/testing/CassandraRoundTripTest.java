package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStack.class)
class CassandraRoundTripTest {

    @Test
    void tableIsCreatedWrittenAndReadBack(StackEndpoints stack) {
        String ks = stack.createKeyspace("roundtrip");
        try (CqlSession session = stack.cqlSession()) {
            session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".prices (symbol text, day date, open double, "
                    + "PRIMARY KEY (symbol, day)) WITH CLUSTERING ORDER BY (day ASC)");
            PreparedStatement insert =
                    session.prepare("INSERT INTO " + ks + ".prices (symbol, day, open) VALUES (?, ?, ?)");
            for (int i = 0; i < 10; i++) {
                session.execute(insert.bind("BTC", LocalDate.of(2018, 1, 1).plusDays(i), 100.0 + i)
                        .setIdempotent(true));
            }
            // an upsert of the same key overwrites, it does not duplicate
            session.execute(insert.bind("BTC", LocalDate.of(2018, 1, 1), 99.5));

            List<Row> rows = session.execute("SELECT day, open FROM " + ks + ".prices WHERE symbol = 'BTC'")
                    .all();
            assertThat(rows).hasSize(10);
            assertThat(rows.get(0).getLocalDate("day")).isEqualTo(LocalDate.of(2018, 1, 1));
            assertThat(rows.get(0).getDouble("open")).isEqualTo(99.5);
            assertThat(rows.get(9).getDouble("open")).isEqualTo(109.0);
        }
    }
}

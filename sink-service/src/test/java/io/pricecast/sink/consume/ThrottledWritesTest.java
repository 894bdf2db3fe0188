package io.pricecast.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver's throttler with a queue far smaller than a batch: the requests it turns away
 * ({@code RequestThrottlingException}) wait and are started again, none is dropped or dead-lettered.
 */
@ExtendWith(RealStack.class)
class ThrottledWritesTest {

    private static final int ROWS = 64;

    @Test
    void aBatchLargerThanTheThrottlersQueueIsWrittenWhole(StackEndpoints stack) {
        String keyspace = stack.createKeyspace("throttled");
        OptionsMap tiny = new OptionsMap();
        tiny.put(TypedDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, 1);
        tiny.put(TypedDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, 1);
        DriverConfigLoader config =
                DriverConfigLoader.compose(DriverConfigLoader.fromMap(tiny), CqlSessions.driverConfig());
        try (CqlSession session = CqlSession.builder()
                .withConfigLoader(config)
                .addContactPoint(stack.cassandra())
                .withLocalDatacenter(stack.localDatacenter())
                .build()) {
            session.execute("CREATE TABLE " + keyspace + ".rows (id int PRIMARY KEY, v int)");
            PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".rows (id, v) VALUES (?, ?)");
            List<String> deadLettered = new CopyOnWriteArrayList<>();
            List<Write> batch = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                int id = i;
                batch.add(new Write(
                        "row " + id,
                        Map.of("rows", 1),
                        () -> session.executeAsync(insert.bind(id, id).setIdempotent(true))
                                .toCompletableFuture(),
                        () -> {
                            deadLettered.add("row " + id);
                            return List.of();
                        }));
            }
            SinkMeters metrics = new SinkMeters();
            AtomicInteger waits = new AtomicInteger();
            RetryingBatchWriter writer = new RetryingBatchWriter(
                    "throttled", metrics, Duration.ofSeconds(1), new RetryingBatchWriter.Consumer() {
                        @Override
                        public void pause() {}

                        @Override
                        public void resume() {}

                        @Override
                        public void idle(Duration time) {
                            waits.incrementAndGet();
                        }

                        @Override
                        public boolean stopping() {
                            return false;
                        }

                        @Override
                        public void status(ConsumerStatus.Phase phase, String detail) {
                            // CONSUMING while throttled; CASSANDRA_DOWN only if a write also timed out on a busy
                            // machine
                        }
                    });

            assertThat(writer.write(batch)).isTrue();

            assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".rows")
                            .one()
                            .getLong(0))
                    .isEqualTo(ROWS);
            assertThat(deadLettered).isEmpty();
            assertThat(metrics.rowsWritten("rows")).isEqualTo(ROWS);
            assertThat(metrics.writesThrottled()).isPositive();
            assertThat(waits.get()).isPositive();
            assertThat(metrics.writesInFlight()).isZero();
        }
    }
}

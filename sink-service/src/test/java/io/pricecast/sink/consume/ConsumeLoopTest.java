package io.pricecast.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import io.pricecast.sink.cql.SinkTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll and commit loop against Kafka's MockConsumer and writes of the test's own (no broker, no Cassandra). */
class ConsumeLoopTest {

    private static final String TOPIC = "prices";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(20);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final SinkMeters metrics = new SinkMeters();
    private ConsumeLoop sink;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (sink != null) {
            sink.close();
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    private void start(ConsumeLoop.Planner planner) {
        sink = new ConsumeLoop("test", List.of(TOPIC), consumer, planner, metrics, MAX_BACKOFF);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            consumer.updateEndOffsets(Map.of(P0, 3L, P1, 2L));
            addRecords();
        });
        thread = new Thread(sink, "topic-sink-test");
        thread.start();
    }

    private void addRecords() {
        for (int i = 0; i < 3; i++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k" + i, new byte[] {1}));
        }
        for (int i = 0; i < 2; i++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, i, "k" + i, new byte[] {1}));
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return consumer.committed(Set.of(P0, P1));
    }

    private static Write write(String label, java.util.function.Supplier<CompletableFuture<?>> start) {
        return new Write(label, Map.of(SinkTables.PREDICTIONS_BY_SERIES, 1), start, () -> List.of());
    }

    /**
     * Offers the records again at every poll, as a broker would, until {@code done}: only a consumer whose position was
     * rewound takes them.
     */
    private void redeliverUntil(java.util.function.BooleanSupplier done) {
        consumer.schedulePollTask(new Runnable() {
            @Override
            public void run() {
                if (!done.getAsBoolean()) {
                    addRecords();
                    consumer.schedulePollTask(this);
                }
            }
        });
    }

    /** @return the offsets of a polled batch, per partition */
    private static List<String> offsets(ConsumerRecords<String, byte[]> records) {
        List<String> seen = new ArrayList<>();
        records.forEach(r -> seen.add(r.partition() + "@" + r.offset()));
        return seen;
    }

    @Test
    void commitsABatchOnlyAfterItsWritesAndThenItsFollowUpsWereAcknowledged() {
        CompletableFuture<Object> acknowledged = new CompletableFuture<>();
        List<String> order = new CopyOnWriteArrayList<>();
        start(records -> new ConsumeLoop.Plan(
                List.of(write("rows", () -> {
                    order.add("rows");
                    return acknowledged;
                })),
                List.of(new Write(
                        "follow-up",
                        Map.of(),
                        () -> {
                            order.add("follow-up");
                            return CompletableFuture.completedFuture(null);
                        },
                        null))));

        await().atMost(Duration.ofSeconds(10)).until(() -> order.contains("rows"));
        assertThat(committed()).isEmpty();
        assertThat(order).containsExactly("rows");

        acknowledged.complete(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().size() == 2);
        assertThat(committed()).containsEntry(P0, new OffsetAndMetadata(3)).containsEntry(P1, new OffsetAndMetadata(2));
        assertThat(order).containsExactly("rows", "follow-up");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.status().lag() == 0);
        assertThat(sink.status().lagByTopic()).containsEntry(TOPIC, 0L);
        assertThat(metrics.batchesCommitted()).isEqualTo(1);
    }

    @Test
    void aBatchTheRegistryCannotDeserialiseIsRewoundAndPolledAgainFromItsFirstOffsets() {
        List<List<String>> planned = new CopyOnWriteArrayList<>();
        start(records -> {
            planned.add(offsets(records));
            if (planned.size() == 1) {
                redeliverUntil(() -> planned.size() > 1);
                throw new RegistryUnreachableException(new IllegalStateException("registry down"));
            }
            return new ConsumeLoop.Plan(List.of(), List.of());
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().size() == 2);
        assertThat(planned).hasSize(2);
        assertThat(planned.get(1))
                .containsExactlyInAnyOrderElementsOf(planned.get(0))
                .containsExactlyInAnyOrder("0@0", "0@1", "0@2", "1@0", "1@1");
        assertThat(committed()).containsEntry(P0, new OffsetAndMetadata(3)).containsEntry(P1, new OffsetAndMetadata(2));
    }

    @Test
    void pausesItsPartitionsWhileCassandraFailsAndResumesThemOnceTheWritesGoThrough() {
        AtomicBoolean cassandraUp = new AtomicBoolean();
        start(records -> new ConsumeLoop.Plan(
                List.of(write(
                        "rows",
                        () -> cassandraUp.get()
                                ? CompletableFuture.completedFuture(null)
                                : CompletableFuture.failedFuture(new DriverTimeoutException("down")))),
                List.of()));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sink.status().phase() == ConsumerStatus.Phase.CASSANDRA_DOWN
                        && consumer.paused().size() == 2);
        assertThat(committed()).isEmpty();

        cassandraUp.set(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.status().phase() == ConsumerStatus.Phase.CONSUMING);
        assertThat(consumer.paused()).isEmpty();
        assertThat(metrics.writeRetries()).isPositive();
    }

    @Test
    void stoppedDuringAnOutageItCommitsNothingAndClosesTheConsumer() throws InterruptedException {
        start(records -> new ConsumeLoop.Plan(
                List.of(write("rows", () -> CompletableFuture.failedFuture(new DriverTimeoutException("down")))),
                List.of()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sink.status().phase() == ConsumerStatus.Phase.CASSANDRA_DOWN);

        assertThat(committed()).isEmpty();

        sink.close();
        thread.join(Duration.ofSeconds(10).toMillis());

        assertThat(thread.isAlive()).isFalse();
        assertThat(sink.status().phase()).isEqualTo(ConsumerStatus.Phase.STOPPED);
        assertThat(consumer.closed()).isTrue();
        assertThat(metrics.batchesCommitted()).isZero();
    }
}

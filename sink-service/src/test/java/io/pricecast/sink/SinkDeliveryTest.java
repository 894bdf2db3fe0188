package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.schemas.RejectReason;
import io.pricecast.sink.cql.SinkTables;
import io.pricecast.testing.ChildJvm;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** At-least-once into idempotent rows: replays, crashes and poison records. */
@ExtendWith(RealStack.class)
class SinkDeliveryTest {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(120);
    /** Series of a daily feed, one forecast each: each its own partition. */
    private static final int SERIES_OF_A_FEED = 400;

    private static final String PREDICTION_COLUMNS = "dataset, symbol, target_date, model_version, prediction_id, "
            + "base_date, pred_open, base_open, scored_at, scoring_version, lineage";

    @Test
    void consumingTheSameOffsetsTwiceLeavesTheSameRows(StackEndpoints stack) {
        SinkTestKit kit = SinkTestKit.on(stack, "replay");
        List<PriceRecord> prices = SampleData.prices("replay", "upload-replay");
        List<InputRef> at =
                kit.produce(kit.prices(), prices, p -> p.getDataset() + "|" + p.getSymbol(), PriceRecord::getDate);
        kit.produce(
                kit.predictions(),
                SampleData.predictions(prices, at),
                p -> p.getDataset() + "|" + p.getSymbol(),
                Prediction::getTargetDate);
        try (CqlSession session = kit.session()) {
            List<String> first;
            try (SinkService sink = kit.startSink()) {
                awaitWritten(sink, 1095);
                first = snapshot(session, kit);
            }
            // forecasts, prices, and the 3 symbols
            assertThat(first).hasSize(1095 + 1095 + 3);

            resetGroup(kit, kit.group() + "-" + SinkService.SERIES_CONSUMER, kit.predictions(), kit.prices());
            try (SinkService replay = kit.startSink()) {
                awaitWritten(replay, 1095);
                assertThat(snapshot(session, kit)).containsExactlyElementsOf(first);
            }
        }
    }

    private static void awaitWritten(SinkService sink, long rows) {
        await().atMost(STORED_WITHIN).untilAsserted(() -> {
            assertThat(sink.meters().rowsWritten(SinkTables.PREDICTIONS_BY_SERIES))
                    .isGreaterThanOrEqualTo(rows);
            assertThat(sink.meters().rowsWritten(SinkTables.PRICES_BY_SERIES)).isGreaterThanOrEqualTo(rows);
        });
    }

    /** Every stored value except when and by which build it was written, sorted. */
    private static List<String> snapshot(CqlSession session, SinkTestKit kit) {
        List<String> rows = new ArrayList<>();
        String ks = kit.keyspace();
        session.execute("SELECT " + PREDICTION_COLUMNS + " FROM " + ks + ".predictions_by_series")
                .forEach(r -> rows.add("p " + withoutWriteTime(r.getFormattedContents())));
        session.execute("SELECT dataset, symbol, date, open, high, low, close, volume, market, lineage FROM " + ks
                        + ".prices_by_series")
                .forEach(r -> rows.add("q " + withoutWriteTime(r.getFormattedContents())));
        session.execute("SELECT * FROM " + ks + ".symbols_by_dataset")
                .forEach(r -> rows.add("s " + r.getFormattedContents()));
        rows.sort(null);
        return rows;
    }

    /** A row's contents without the time its lineage says it was written (a replay writes it again, later). */
    private static String withoutWriteTime(String contents) {
        return contents.replaceAll("\\\\?\"written_at\\\\?\":\\\\?\"[^\"\\\\]*\\\\?\"", "");
    }

    private static void resetGroup(SinkTestKit kit, String group, String... topics) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrap());
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (String topic : topics) {
            IntStream.range(0, SinkTestKit.PARTITIONS)
                    .forEach(i -> start.put(new TopicPartition(topic, i), new OffsetAndMetadata(0)));
        }
        try (Admin admin = Admin.create(p)) {
            // the group is empty once the sink closed; the broker may take a moment to notice
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() ->
                            admin.alterConsumerGroupOffsets(group, start).all().get() == null);
        }
    }

    @Test
    void aSinkKilledMidStreamLosesNoPredictionAfterRestart(StackEndpoints stack, @TempDir Path logs) throws Exception {
        SinkTestKit kit = SinkTestKit.on(stack, "crash");
        List<Prediction> predictions = SampleData.synthetic("crash", 200, 100, kit.prices());
        kit.produce(
                kit.predictions(), predictions, p -> p.getDataset() + "|" + p.getSymbol(), Prediction::getTargetDate);
        Set<String> expected =
                predictions.stream().map(Prediction::getPredictionId).collect(Collectors.toSet());

        try (CqlSession session = kit.session()) {
            Process first = startChild(kit, logs.resolve("first.log"));
            long atKill;
            try {
                await().atMost(STORED_WITHIN).until(() -> storedIds(session, kit) >= 1_000);
            } finally {
                first.destroyForcibly();
                first.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                atKill = storedIds(session, kit);
            }
            assertThat(atKill).as("killed mid-stream").isLessThan(expected.size());

            Process second = startChild(kit, logs.resolve("second.log"));
            try {
                await().atMost(STORED_WITHIN).until(() -> storedIds(session, kit) >= expected.size());
                Set<String> stored = new HashSet<>();
                for (Row r :
                        session.execute("SELECT prediction_id FROM " + kit.keyspace() + ".predictions_by_series")) {
                    stored.add(r.getString(0));
                }
                assertThat(stored).isEqualTo(expected);
                assertThat(kit.count(session, "predictions_by_series", "")).isEqualTo(expected.size());
            } finally {
                second.destroy();
                second.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static long storedIds(CqlSession session, SinkTestKit kit) {
        return kit.count(session, "predictions_by_series", "");
    }

    /** The sink as the launcher runs it: a child JVM from target/classes and the resolved runtime classpath. */
    private static Process startChild(SinkTestKit kit, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        ChildJvm.command("-Xmx256m", "-cp", ChildJvm.moduleClasspath(), SinkService.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        int port = freePort();
        pb.environment().putAll(kit.environment(port));
        Process p = pb.start();
        await().atMost(STORED_WITHIN).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("sink exited: " + Files.readString(log));
            }
            try {
                return SinkTestKit.get("http://127.0.0.1:" + port + "/health").statusCode() == 200;
            } catch (IllegalStateException notYetListening) {
                return false;
            }
        });
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterWithTheirReasonAndTheConsumerGoesOn(StackEndpoints stack) throws Exception {
        SinkTestKit kit = SinkTestKit.on(stack, "poison");
        var garbage = kit.produceBytes(kit.predictions(), "poison|BTC", "not avro at all".getBytes());
        PriceRecord p = SampleData.prices("poison", "upload-poison").get(0);
        Prediction nan =
                SampleData.prediction(p, p.getDate().plusDays(1), Double.NaN, List.of(), null, "m1", Instant.now());
        Prediction good =
                SampleData.prediction(p, p.getDate().plusDays(2), 123.0, List.of(), null, "m1", Instant.now());
        List<InputRef> at = kit.produce(
                kit.predictions(),
                List.of(nan, good),
                x -> x.getDataset() + "|" + x.getSymbol(),
                Prediction::getTargetDate);

        try (SinkService sink = kit.startSink();
                CqlSession session = kit.session()) {
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() -> assertThat(kit.count(
                                    session, "predictions_by_series", "dataset = ? AND symbol = ?", "poison", "BTC"))
                            .isEqualTo(1));
            await().atMost(STORED_WITHIN)
                    .untilAsserted(
                            () -> assertThat(sink.meters().deadLettered()).isEqualTo(2));

            List<RejectedRecord> letters = deadLetters(kit, 2);
            assertThat(letters).extracting(RejectedRecord::getStage).containsOnly("sink");
            RejectedRecord undeserialisable = letters.stream()
                    .filter(l -> l.getReason().equals("undeserialisable"))
                    .findFirst()
                    .orElseThrow();
            assertThat(undeserialisable.getRawTopic()).isEqualTo(kit.predictions());
            assertThat(undeserialisable.getRawPartition()).isEqualTo(garbage.partition());
            assertThat(undeserialisable.getRawOffset()).isEqualTo(garbage.offset());
            assertThat(undeserialisable.getRaw()).isEqualTo("not avro at all");
            assertThat(undeserialisable.getDataset()).isEqualTo("poison");
            RejectedRecord nonFinite = letters.stream()
                    .filter(l -> l.getReason().equals("non_finite"))
                    .findFirst()
                    .orElseThrow();
            assertThat(nonFinite.getField()).isEqualTo("pred_open");
            assertThat(nonFinite.getRawOffset()).isEqualTo(at.get(0).getOffset());
            assertThat(nonFinite.getMessage()).contains("pred_open");

            // the dead letters are refusals like any other: stored per (no) upload with their reason
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() -> assertThat(session.execute(
                                            "SELECT reason FROM " + kit.keyspace()
                                                    + ".rejections_by_upload WHERE upload_id = ?",
                                            "no-upload-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                                    .all())
                            .extracting(r -> r.getString(0))
                            .containsExactlyInAnyOrder("non_finite", "undeserialisable"));
            // dead letters keep the service ready
            Readiness.await200("http://127.0.0.1:" + sink.port() + "/health", STORED_WITHIN);
        }
    }

    @Test
    void theSmallPartitionsOfADailyFeedShareRequests(StackEndpoints stack) throws Exception {
        SinkTestKit kit = SinkTestKit.on(stack, "packed");
        List<Prediction> feed = SampleData.synthetic("packed", SERIES_OF_A_FEED, 1, kit.prices());
        kit.produce(kit.predictions(), feed, p -> p.getDataset() + "|" + p.getSymbol(), Prediction::getTargetDate);

        try (SinkService sink = kit.startSink();
                CqlSession session = kit.session()) {
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() -> assertThat(sink.meters().rowsWritten(SinkTables.PREDICTIONS_BY_SERIES))
                            .isEqualTo(SERIES_OF_A_FEED));
            assertThat(sink.meters().requestsWritten())
                    .as("rows of %d partitions", SERIES_OF_A_FEED)
                    .isLessThan(SERIES_OF_A_FEED / 10);
            for (Prediction p : List.of(feed.get(0), feed.get(SERIES_OF_A_FEED / 2), feed.get(SERIES_OF_A_FEED - 1))) {
                assertThat(kit.count(
                                session,
                                "predictions_by_series",
                                "dataset = ? AND symbol = ?",
                                p.getDataset(),
                                p.getSymbol()))
                        .isEqualTo(1);
            }
            assertThat(sink.meters().deadLettered()).isZero();
        }
    }

    /**
     * Packed requests over the node's {@code batch_size_fail_threshold} (50 KiB) are refused: their partitions are
     * written one by one, nothing is lost, and the one row Cassandra refuses alone (a clustering key over its
     * 65,535 bytes) is the only dead letter.
     */
    @Test
    void aPackedRequestCassandraRefusesIsWrittenPartitionByPartition(StackEndpoints stack) throws Exception {
        SinkTestKit kit = SinkTestKit.on(stack, "packed-refused");
        List<Prediction> feed =
                new ArrayList<>(SampleData.synthetic("packed-refused", SERIES_OF_A_FEED, 1, kit.prices()));
        Prediction bad = feed.get(7);
        String tooLong = "v".repeat(70_000);
        feed.set(
                7,
                Prediction.newBuilder(bad)
                        .setModelVersion(tooLong)
                        .setPredictionId(
                                bad.getDataset() + "|" + bad.getSymbol() + "|" + bad.getTargetDate() + "|" + tooLong)
                        .build());
        kit.produce(kit.predictions(), feed, p -> p.getDataset() + "|" + p.getSymbol(), Prediction::getTargetDate);
        Map<String, String> env = kit.environment();
        env.put("PRICECAST_SINK_MAX_REQUEST_KB", "200");

        try (SinkService sink = SinkService.start(SinkSettings.fromEnvironment(env));
                CqlSession session = kit.session()) {
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() -> assertThat(sink.meters().rowsWritten(SinkTables.PREDICTIONS_BY_SERIES))
                            .isEqualTo(SERIES_OF_A_FEED - 1));
            await().atMost(STORED_WITHIN)
                    .untilAsserted(
                            () -> assertThat(sink.meters().deadLettered()).isEqualTo(1));
            RejectedRecord letter = deadLetters(kit, 1).get(0);
            assertThat(letter.getReason()).isEqualTo(RejectReason.CASSANDRA_REFUSED.code());
            assertThat(letter.getSymbol()).isEqualTo(bad.getSymbol());
            assertThat(kit.count(
                            session,
                            "predictions_by_series",
                            "dataset = ? AND symbol = ?",
                            bad.getDataset(),
                            bad.getSymbol()))
                    .isZero();
            assertThat(kit.count(
                            session,
                            "predictions_by_series",
                            "dataset = ? AND symbol = ?",
                            feed.get(8).getDataset(),
                            feed.get(8).getSymbol()))
                    .isEqualTo(1);
        }
    }

    private static List<RejectedRecord> deadLetters(SinkTestKit kit, int expected) {
        Properties c = new Properties();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, kit.group() + "-reader");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<RejectedRecord> letters = new ArrayList<>();
        try (KafkaConsumer<String, RejectedRecord> consumer = new KafkaConsumer<>(
                c,
                new StringDeserializer(),
                kit.serdes().serde(RejectedRecord.class, false).deserializer())) {
            consumer.subscribe(List.of(kit.rejected()));
            await().atMost(STORED_WITHIN).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.value()));
                return letters.size() >= expected;
            });
        }
        return letters;
    }
}

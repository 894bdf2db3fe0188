package io.pricecast.ingest.http;

import static io.pricecast.ingest.IngestTestKit.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.ingest.cli.UploadCommand;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(RealStack.class)
class UploadApiTest {

    private static final long MAX_UPLOAD_BYTES = 1024 * 1024;
    private static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path state;

    private static StackEndpoints stack;
    private static TestTopics topics;
    private static IngestService service;
    private static String base;

    @BeforeAll
    static void startService(StackEndpoints endpoints) throws IOException {
        stack = endpoints;
        topics = TestTopics.create(stack, "upload", 3);
        String keyspace = stack.createKeyspace("ingest_upload");
        IngestConfig config = IngestConfig.defaults()
                .withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withMaxUploadBytes(MAX_UPLOAD_BYTES)
                .withConsoleGroup("upload-test-console");
        service = IngestService.start(settings(stack, keyspace, state, 0), config, stack.serdes());
        base = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void publishesEverySampleRowOnceWithLineageAndAnswersARepeatWithTheSameId() throws Exception {
        byte[] file = resource("crypto_sample.csv");
        JsonNode accepted = json(post(base + "/uploads?dataset=sample", HttpRequest.BodyPublishers.ofByteArray(file)));
        String id = accepted.get("upload_id").asText();
        assertThat(accepted.get("status_url").asText()).isEqualTo("/uploads/" + id);
        assertThat(accepted.get("repeat").asBoolean()).isFalse();

        JsonNode status = awaitPublished(id);
        assertThat(status.at("/counts/total").asLong()).isEqualTo(1095);
        assertThat(status.at("/ingest/published").asLong()).isEqualTo(1095);
        assertThat(status.at("/counts/pending").asLong())
                .as("no scoring runs here to judge them")
                .isEqualTo(1095);
        assertThat(status.get("judged").asBoolean()).isFalse();
        assertThat(status.get("file_sha256").asText()).isEqualTo(sha256(file));

        List<ConsumerRecord<String, PriceRecord>> clean = readCommitted(
                stack,
                topics.clean(),
                stack.serdes().serde(PriceRecord.class, false).deserializer());
        List<PriceRecord> mine = clean.stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getDataset().equals("sample"))
                .toList();
        assertThat(mine).hasSize(1095);
        assertThat(mine).allSatisfy(r -> {
            assertThat(r.getUploadId()).isEqualTo(id);
            assertThat(r.getFileSha256()).isEqualTo(sha256(file));
            assertThat(r.getIngestVersion()).isEqualTo(CodeVersion.current());
            assertThat(r.getSource()).isEqualTo(RecordSource.UPLOAD);
            assertThat(r.getFileLine()).isBetween(2L, 1096L);
        });
        assertThat(mine.stream().map(PriceRecord::getFileLine).collect(Collectors.toSet()))
                .hasSize(1095);
        assertThat(clean)
                .filteredOn(r -> r.value().getDataset().equals("sample"))
                .allSatisfy(
                        r -> assertThat(r.key()).isEqualTo("sample|" + r.value().getSymbol()));
        PriceRecord first =
                mine.stream().filter(r -> r.getFileLine() == 2L).findFirst().orElseThrow();
        assertThat(first.getSymbol()).isEqualTo("BTC");
        assertThat(first.getOpen()).isEqualTo(104.95);

        Map<?, Long> before = endOffsets(stack, topics.clean());
        JsonNode again = json(post(base + "/uploads?dataset=sample", HttpRequest.BodyPublishers.ofByteArray(file)));
        assertThat(again.get("upload_id").asText()).isEqualTo(id);
        assertThat(again.get("repeat").asBoolean()).isTrue();
        assertThat(again.get("status").asText()).isEqualTo("published");
        assertThat(endOffsets(stack, topics.clean())).isEqualTo(before);
    }

    @Test
    void countsEveryReasonOfTheCorpusAndPublishesEachRejection() throws Exception {
        String dataset = "corpus";
        byte[] corpus = resource("every-reason.csv");
        String id = json(post(base + "/uploads?dataset=" + dataset, HttpRequest.BodyPublishers.ofByteArray(corpus)))
                .get("upload_id")
                .asText();
        JsonNode status = awaitPublished(id);

        JsonNode expected = JSON.readTree(resource("every-reason.expected.json"));
        JsonNode counts = status.get("counts");
        assertThat(counts.get("total")).isEqualTo(expected.get("total"));
        assertThat(status.at("/ingest/published")).isEqualTo(expected.get("accepted"));
        assertThat(counts.get("duplicates")).isEqualTo(expected.get("duplicates"));
        assertThat(counts.get("rejected")).isEqualTo(expected.get("rejected"));
        assertThat(counts.get("pending")).isEqualTo(expected.get("accepted"));

        JsonNode lines = status.get("rejected_lines");
        assertThat(lines).hasSize(expected.get("total").asInt() - 4 - 1);
        assertThat(lines.get(0).get("line").asLong())
                .isLessThan(lines.get(1).get("line").asLong());
        assertThat(lines)
                .allSatisfy(line -> assertThat(line.get("message").asText()).contains("line"));

        List<RejectedRecord> rejected =
                readCommitted(
                                stack,
                                topics.rejected(),
                                stack.serdes()
                                        .serde(RejectedRecord.class, false)
                                        .deserializer())
                        .stream()
                        .map(ConsumerRecord::value)
                        .filter(r -> id.equals(r.getUploadId()))
                        .toList();
        Map<String, Long> byReason = rejected.stream()
                .collect(Collectors.groupingBy(RejectedRecord::getReason, TreeMap::new, Collectors.counting()));
        Map<String, Long> expectedByReason = new TreeMap<>();
        expected.get("rejected")
                .fields()
                .forEachRemaining(
                        e -> expectedByReason.put(e.getKey(), e.getValue().asLong()));
        assertThat(byReason).isEqualTo(expectedByReason);
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.getStage()).isEqualTo("ingest");
            assertThat(r.getFileLine()).isNotNull();
            assertThat(r.getMessage()).contains("line " + r.getFileLine());
            assertThat(r.getDataset()).isEqualTo(dataset);
        });
        RejectedRecord tooLong = rejected.stream()
                .filter(r -> r.getReason().equals("line_too_long"))
                .findFirst()
                .orElseThrow();
        assertThat(tooLong.getFileLine()).isEqualTo(15L);
    }

    @Test
    void publishesAnUploadOfThousandsOfSeriesWithNoReadOrWritePerSeries() {
        // more series than the driver takes requests at once on a connection (1,024): ingest keeps no per-series state,
        // so an upload's cost in Cassandra is its own row and its first rejected lines, whatever its series
        int series = 3_000;
        JsonNode first = awaitPublished(
                json(post(base + "/uploads?dataset=wide", HttpRequest.BodyPublishers.ofString(wideFile(series, 1, 2))))
                        .get("upload_id")
                        .asText());
        assertThat(first.at("/ingest/published").asLong()).isEqualTo(2L * series);
        JsonNode next = awaitPublished(
                json(post(base + "/uploads?dataset=wide", HttpRequest.BodyPublishers.ofString(wideFile(series, 2, 3))))
                        .get("upload_id")
                        .asText());
        assertThat(next.at("/counts/total").asLong()).isEqualTo(2L * series);
        assertThat(next.at("/ingest/published").asLong())
                .as("day 2 again is judged downstream, as stored")
                .isEqualTo(2L * series);
    }

    /** {@code series} series S0.. with the days {@code firstDay..lastDay} of January 2020, the same values each time. */
    private static String wideFile(int series, int firstDay, int lastDay) {
        StringBuilder csv = new StringBuilder("symbol,date,open,high,low,close,volume,market\n");
        for (int s = 0; s < series; s++) {
            for (int day = firstDay; day <= lastDay; day++) {
                csv.append("S").append(s).append(",2020-01-0").append(day).append(",1,2,0.5,1.5,10,10\n");
            }
        }
        return csv.toString();
    }

    @Test
    void givesAnUploadWithoutDatasetADatasetOfItsOwn() throws Exception {
        String csv = "symbol,date,open,high,low,close,volume,market\nADA,2020-01-01,1,2,0.5,1.5,10,10\n";
        JsonNode accepted = json(post(base + "/uploads", HttpRequest.BodyPublishers.ofString(csv)));
        assertThat(accepted.get("dataset").asText()).startsWith("upload-");
        JsonNode again = json(post(base + "/uploads", HttpRequest.BodyPublishers.ofString(csv)));
        assertThat(again.get("upload_id").asText())
                .isEqualTo(accepted.get("upload_id").asText());
        assertThat(awaitPublished(accepted.get("upload_id").asText())
                        .at("/ingest/published")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void refusesAnOversizedUploadWith413() {
        byte[] big = new byte[(int) MAX_UPLOAD_BYTES + 1];
        HttpResponse<String> response =
                post(base + "/uploads?dataset=big", HttpRequest.BodyPublishers.ofByteArray(big));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("too_large");
        assertThat(json(response).get("message").asText()).contains(Long.toString(MAX_UPLOAD_BYTES));
    }

    @Test
    void reportsAFileWithAnUnknownHeaderAsFailed() {
        String id = json(post(base + "/uploads?dataset=junk", HttpRequest.BodyPublishers.ofString("a,b,c\n1,2,3\n")))
                .get("upload_id")
                .asText();
        JsonNode status = await().atMost(PUBLISHED_WITHIN)
                .until(
                        () -> json(get(base + "/uploads/" + id)),
                        s -> s.get("status").asText().equals("failed"));
        assertThat(status.get("error").asText()).contains("header");
    }

    @Test
    void answersUnknownUploadsAndBadRequestsWithJsonErrors() {
        HttpResponse<String> missing = get(base + "/uploads/0123456789abcdef0123456789abcdef");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not_found");
        HttpResponse<String> malformed = get(base + "/uploads/nope");
        assertThat(malformed.statusCode()).isEqualTo(400);
        HttpResponse<String> badDataset =
                post(base + "/uploads?dataset=a%7Cb", HttpRequest.BodyPublishers.ofString("x"));
        assertThat(badDataset.statusCode()).isEqualTo(400);
        assertThat(json(badDataset).get("message").asText()).contains("dataset");
        Readiness.await200(base + "/health", PUBLISHED_WITHIN);
        assertThat(IngestTestKit.metrics(base).sum(IngestMeters.UPLOADS_SAMPLE, "outcome", "received"))
                .isPositive();
    }

    @Test
    void uploadCommandPostsAFileAndPrintsItsCounts(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("small.csv");
        Files.writeString(
                csv,
                "symbol,date,open,high,low,close,volume,market\n"
                        + "DOT,2020-01-01,1,2,0.5,1.5,10,10\nDOT,2020-01-02,1,2,0.5,9,10,10\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new UploadCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(csv.toString(), "--dataset", "cli", "--url", base, "--poll-ms", "100", "--judged-within", "1");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("published to dataset cli")
                .contains("total 2, accepted 0, duplicates 0, rejected 1, pending 1")
                .contains("price_outside_range: 1")
                .contains("line 3 price_outside_range")
                .contains("1 published records are not judged against their series yet");
        assertThat(err.toString())
                .as("the progress bars: bytes sent, with percentage, then records published")
                .containsPattern("sending +100% \\[=+\\]")
                .containsPattern("publishing [^\\n]*1 records");

        int unreachable = new CommandLine(new UploadCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(csv.toString(), "--url", "http://127.0.0.1:1");
        assertThat(unreachable).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach ingest-service");
    }

    private static JsonNode awaitPublished(String id) {
        JsonNode status = await().atMost(PUBLISHED_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> json(get(base + "/uploads/" + id)),
                        s -> Set.of("published", "failed")
                                .contains(s.get("status").asText()));
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("published");
        return status;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = UploadApiTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

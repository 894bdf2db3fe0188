package io.pricecast.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.SignedUrls;
import io.pricecast.runtime.http.SignedUrls.Scope;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed test URL on a real ingest service (real Kafka, registry, Cassandra from {@link RealStack}), with both
 * optional tokens configured, so the signature is the only credential the signed route takes: a {@code curl -T}-style
 * PUT (and the real {@code curl -T} when there is one) and a POST upload into the signed dataset and are published
 * there; expired, tampered, another dataset's and rotated-key URLs get 403, no key 503, every error JSON without a
 * stack trace.
 */
@ExtendWith(RealStack.class)
class SignedTestUrlTest {

    private static final String DATASET = "signed-d";
    private static final String READ_TOKEN = "ingest-read-signed-s3cret";
    private static final String WRITE_TOKEN = "ingest-write-signed-s3cret";
    private static final String KEY = "3f1c0b7e9a5d4c2b8e6f0a1d3c5b7e9f3f1c0b7e9a5d4c2b8e6f0a1d3c5b7e9f";
    private static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static Path files;

    private static StackEndpoints stack;
    private static TestTopics topics;
    private static IngestService service;
    private static String base;
    private static Path keyFile;
    private static SignedUrls signer;

    @BeforeAll
    static void startService(StackEndpoints endpoints) throws Exception {
        stack = endpoints;
        topics = TestTopics.create(stack, "signed-upload", 1);
        files = Files.createDirectories(dir.resolve("files"));
        Path state = Files.createDirectories(dir.resolve("state"));
        keyFile = Files.writeString(dir.resolve("url-signing.key"), KEY + "\n");
        signer = SignedUrls.ofKeyFile(keyFile);
        IngestConfig config = IngestConfig.defaults()
                .withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleEnabled(false);
        ServiceSettings settings = new ServiceSettings(
                stack.kafkaBootstrap(),
                stack.registryUrl(),
                stack.cassandra(),
                stack.localDatacenter(),
                stack.createKeyspace("ingest_signed"),
                0,
                state,
                Map.of(
                        HttpGuard.READ_TOKEN,
                        READ_TOKEN,
                        HttpGuard.WRITE_TOKEN,
                        WRITE_TOKEN,
                        SignedUrls.KEY_VARIABLE + "_FILE",
                        keyFile.toString()));
        service = IngestService.start(settings, config, stack.serdes());
        base = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aCurlStylePutThroughTheTestUrlIsPublishedIntoItsDataset() throws Exception {
        Path file = csv("put.csv", "PUTA", 2020);
        String url = testUrl(DATASET, Instant.now().plus(Duration.ofDays(7)));
        // what curl -T and S3 presigned uploads send: PUT, the raw file as the body, no content type
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        JsonNode accepted = IngestTestKit.json(put);
        assertThat(accepted.get("dataset").asText()).isEqualTo(DATASET);
        assertThat(accepted.get("repeat").asBoolean()).isFalse();
        String id = accepted.get("upload_id").asText();
        assertThat(accepted.get("status_url").asText()).isEqualTo("/uploads/" + id);
        awaitPublished(id);
        assertThat(published("PUTA"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getDataset()).isEqualTo(DATASET));

        // the answer is exactly POST /uploads?dataset=D's: the same file there is the same upload
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(URI.create(base + "/uploads?dataset=" + DATASET))
                .header("Authorization", "Bearer " + WRITE_TOKEN)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(unsigned.statusCode()).isEqualTo(202);
        assertThat(IngestTestKit.json(unsigned).get("upload_id").asText()).isEqualTo(id);
        assertThat(IngestTestKit.json(unsigned).get("repeat").asBoolean()).isTrue();

        // with an explicit application/octet-stream, as some S3 clients send
        Path second = csv("put-octets.csv", "PUTB", 2020);
        HttpResponse<String> octets = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(second)));
        assertThat(octets.statusCode()).as(octets.body()).isEqualTo(202);
        awaitPublished(IngestTestKit.json(octets).get("upload_id").asText());
        assertThat(published("PUTB"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getDataset()).isEqualTo(DATASET));
    }

    @Test
    void theRealCurlUploadsThroughTheTestUrl() throws Exception {
        io.pricecast.testing.RequiredTools.requireOnPath("curl", "apt-get install curl");
        Path file = csv("curl.csv", "CURL", 2021);
        String url = testUrl(DATASET, Instant.now().plus(Duration.ofHours(1)));
        Process curl = new ProcessBuilder("curl", "-sS", "-T", file.toString(), "-w", "\n%{http_code}", url)
                .redirectErrorStream(true)
                .start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).endsWith("\n202");
        JsonNode accepted = IngestTestKit.JSON.readTree(out.substring(0, out.lastIndexOf('\n')));
        assertThat(accepted.get("dataset").asText()).isEqualTo(DATASET);
        awaitPublished(accepted.get("upload_id").asText());
        assertThat(published("CURL"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getDataset()).isEqualTo(DATASET));

        // the sample file (105 KB: above the 64 KB limit of other requests; curl may send Expect: 100-continue)
        Path sample = Path.of(
                SignedTestUrlTest.class.getResource("/crypto_sample.csv").toURI());
        Process big = new ProcessBuilder(
                        "curl",
                        "-sS",
                        "-T",
                        sample.toString(),
                        "-w",
                        "\n%{http_code}",
                        testUrl("signed-sample", Instant.now().plus(Duration.ofHours(1))))
                .redirectErrorStream(true)
                .start();
        String bigOut = new String(big.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(big.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bigOut).as(bigOut).endsWith("\n202");
        awaitPublished(IngestTestKit.JSON
                .readTree(bigOut.substring(0, bigOut.lastIndexOf('\n')))
                .get("upload_id")
                .asText());
        assertThat(IngestTestKit.readCommitted(
                                stack,
                                topics.clean(),
                                stack.serdes().serde(PriceRecord.class, false).deserializer())
                        .stream()
                        .filter(r -> r.value().getDataset().equals("signed-sample"))
                        .count())
                .isEqualTo(1095);

        // a refusal, as curl shows it: 403 and a JSON message
        Process refused = new ProcessBuilder(
                        "curl",
                        "-sS",
                        "-T",
                        file.toString(),
                        "-w",
                        "\n%{http_code}",
                        url.replace("dataset=" + DATASET, "dataset=other"))
                .redirectErrorStream(true)
                .start();
        String answer = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(answer).endsWith("\n403").contains("\"error\":\"signature_mismatch\"");
    }

    @Test
    void aPostThroughTheTestUrlUploadsTooAndTheUnsignedRouteKeepsItsToken() throws Exception {
        Path file = csv("post.csv", "POST", 2022);
        String url = testUrl("signed-e", Instant.now().plus(Duration.ofMinutes(30)));
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(202);
        assertThat(IngestTestKit.json(post).get("dataset").asText()).isEqualTo("signed-e");
        awaitPublished(IngestTestKit.json(post).get("upload_id").asText());
        assertThat(published("POST"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getDataset()).isEqualTo("signed-e"));
        HttpResponse<String> multipart = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\""
                                + "\r\nContent-Type: text/csv\r\n\r\n"
                                + Files.readString(csv("multi.csv", "MULT", 2022)) + "\r\n--b--\r\n")));
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(202);

        HttpResponse<String> noToken = send(HttpRequest.newBuilder(URI.create(base + "/uploads?dataset=signed-e"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(noToken.statusCode())
                .as("the unsigned route still needs the write token")
                .isEqualTo(401);
        HttpResponse<String> tokenOnSigned =
                send(HttpRequest.newBuilder(URI.create(base + "/signed/uploads?dataset=signed-e"))
                        .header("Authorization", "Bearer " + WRITE_TOKEN)
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(tokenOnSigned.statusCode()).as("a token is no signature").isEqualTo(403);
        assertClean("token on the signed route", tokenOnSigned);
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(url)).GET());
        assertThat(get.statusCode()).as("the test URL uploads only").isEqualTo(404);
        assertClean("GET on the test URL", get);
    }

    @Test
    void expiredTamperedAndOtherDatasetsUrlsAre403WithoutAStackTrace() throws Exception {
        Path file = csv("refused.csv", "NOPE", 2023);
        Instant expiry = Instant.now().plus(Duration.ofDays(1));
        String url = testUrl(DATASET, expiry);
        String signature = url.substring(url.indexOf("signature=") + "signature=".length());
        String flipped = signature.substring(0, 7) + (signature.charAt(7) == 'a' ? 'b' : 'a') + signature.substring(8);

        HttpResponse<String> expired = put(testUrl(DATASET, Instant.now().minusSeconds(60)), file);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(IngestTestKit.json(expired).get("error").asText()).isEqualTo("expired");
        assertThat(IngestTestKit.json(expired).get("message").asText())
                .contains("expired at")
                .contains("UTC");
        assertClean("expired", expired);

        Map<String, String> tampered = Map.of(
                "signature flipped", url.replace(signature, flipped),
                "dataset changed (D's URL used for E)", url.replace("dataset=" + DATASET, "dataset=signed-e"),
                "expiry changed",
                        url.replace(
                                "expires=" + expiry.getEpochSecond(), "expires=" + (expiry.getEpochSecond() + 3600)),
                "the pred URL's signature", url.replace(signature, signer.sign(Scope.PREDICTIONS, DATASET, expiry)),
                "no signature", base + "/signed/uploads?dataset=" + DATASET + "&expires=" + expiry.getEpochSecond());
        for (Map.Entry<String, String> t : tampered.entrySet()) {
            HttpResponse<String> refused = put(t.getValue(), file);
            assertThat(refused.statusCode())
                    .as(t.getKey() + ": " + refused.body())
                    .isEqualTo(403);
            JsonNode body = IngestTestKit.json(refused);
            assertThat(body.get("error").asText()).as(t.getKey()).isIn("signature_mismatch", "malformed_signed_url");
            assertThat(body.get("message").asText()).as(t.getKey()).isNotBlank();
            assertClean(t.getKey(), refused);
            assertThat(refused.body()).doesNotContain(signature, flipped);
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(url.replace(signature, flipped)))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(published("NOPE"))
                .as("nothing of a refused upload is published")
                .isEmpty();
        assertThat(put(url, file).statusCode()).as("the untampered URL works").isEqualTo(202);
    }

    @Test
    void rotatingTheKeyRefusesTheOldUrlsAtOnceAndAnEmptyKeyTurnsTheRouteOff() throws Exception {
        Path file = csv("rotate.csv", "ROTA", 2024);
        String old = testUrl(DATASET, Instant.now().plus(Duration.ofDays(7)));
        assertThat(put(old, file).statusCode()).isEqualTo(202);
        try {
            Files.writeString(keyFile, KEY.replace('3', '4') + "\n");
            HttpResponse<String> stale = put(old, file);
            assertThat(stale.statusCode()).as(stale.body()).isEqualTo(403);
            assertThat(IngestTestKit.json(stale).get("error").asText()).isEqualTo("signature_mismatch");
            assertThat(IngestTestKit.json(stale).get("message").asText()).contains("rotated");
            assertClean("stale", stale);
            HttpResponse<String> fresh = put(testUrl(DATASET, Instant.now().plus(Duration.ofDays(7))), file);
            assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(202);
            assertThat(IngestTestKit.json(fresh).get("repeat").asBoolean())
                    .as("the same file: the same upload")
                    .isTrue();

            Files.writeString(keyFile, "");
            HttpResponse<String> off = put(old, file);
            assertThat(off.statusCode()).isEqualTo(503);
            assertThat(IngestTestKit.json(off).get("error").asText()).isEqualTo("signing_not_configured");
            assertThat(IngestTestKit.json(off).get("message").asText()).contains(SignedUrls.KEY_VARIABLE);
            assertClean("no key", off);
        } finally {
            Files.writeString(keyFile, KEY + "\n");
        }
    }

    private static String testUrl(String dataset, Instant expires) {
        return signer.url(base, Scope.UPLOAD, dataset, expires);
    }

    /** A small valid file of 3 days of one symbol of its own, so each test's records can be told apart. */
    private static Path csv(String name, String symbol, int year) throws Exception {
        StringBuilder b = new StringBuilder("symbol,date,open,high,low,close,volume,market\n");
        for (int day = 1; day <= 3; day++) {
            b.append(symbol)
                    .append(',')
                    .append(year)
                    .append("-01-0")
                    .append(day)
                    .append(",100,110,90,105,1000,5000\n");
        }
        return Files.writeString(files.resolve(name), b.toString());
    }

    private static void awaitPublished(String id) {
        await().atMost(PUBLISHED_WITHIN)
                .until(() -> IngestTestKit.json(send(HttpRequest.newBuilder(URI.create(base + "/uploads/" + id))
                                .header("Authorization", "Bearer " + READ_TOKEN)
                                .GET()))
                        .path("status")
                        .asText()
                        .equals("published"));
    }

    private static List<PriceRecord> published(String symbol) {
        List<ConsumerRecord<String, PriceRecord>> clean = IngestTestKit.readCommitted(
                stack,
                topics.clean(),
                stack.serdes().serde(PriceRecord.class, false).deserializer());
        return clean.stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getSymbol().equals(symbol))
                .toList();
    }

    private static HttpResponse<String> put(String url, Path file) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertClean(String what, HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .contains("json");
        assertThat(response.body())
                .as(what + ": " + response.body())
                .doesNotContain("Exception", "at io.", "at org.", "at java.", READ_TOKEN, WRITE_TOKEN, KEY);
    }
}

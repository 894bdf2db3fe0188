package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.SignedUrls;
import io.pricecast.runtime.http.SignedUrls.Scope;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.RequiredTools;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed pred URL on a real sink (real Kafka, registry and Cassandra from {@link RealStack}) with the read token
 * configured, so the signature is the only credential the signed route takes: it serves exactly the unsigned export's
 * body, to the JDK's client and to Python's {@code urllib} (what {@code pandas.read_csv(url)} uses); expired, tampered,
 * another dataset's and rotated-key URLs get 403, no key 503, every error JSON without a stack trace.
 */
@ExtendWith(RealStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedPredUrlTest {

    private static final String DATASET = "signed-d";
    private static final String OTHER = "signed-e";
    private static final String READ_TOKEN = "sink-read-signed-s3cret";
    private static final String KEY = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
    private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkTestKit kit;
    private SinkService sink;
    private CqlSession session;
    private Path keyFile;
    private SignedUrls signer;
    private String base;

    @BeforeAll
    void publishTwoDatasetsAndStartASink(StackEndpoints stack, @TempDir Path dir) throws Exception {
        kit = SinkTestKit.on(stack, "signed");
        session = kit.session();
        int rows = 0;
        for (String dataset : List.of(DATASET, OTHER)) {
            // 40 days of BTC and LTC of the sample (and LTC only in the other dataset): small, and the datasets differ
            List<PriceRecord> prices = new ArrayList<>();
            for (PriceRecord p : SampleData.prices(dataset, "upload-" + dataset)) {
                boolean wanted = dataset.equals(DATASET)
                        ? !p.getSymbol().equals("XRP")
                        : p.getSymbol().equals("LTC");
                if (wanted
                        && prices.stream()
                                        .filter(x -> x.getSymbol().equals(p.getSymbol()))
                                        .count()
                                < 40) {
                    prices.add(p);
                }
            }
            List<InputRef> positions =
                    kit.produce(kit.prices(), prices, p -> p.getDataset() + "|" + p.getSymbol(), PriceRecord::getDate);
            kit.produce(
                    kit.predictions(),
                    SampleData.predictions(prices, positions),
                    p -> p.getDataset() + "|" + p.getSymbol(),
                    Prediction::getTargetDate);
            rows += prices.size();
        }
        int expected = rows;
        keyFile = Files.writeString(dir.resolve("url-signing.key"), KEY + "\n");
        signer = SignedUrls.ofKeyFile(keyFile);
        Map<String, String> env = new LinkedHashMap<>(kit.environment());
        env.put(HttpGuard.READ_TOKEN, READ_TOKEN);
        env.put(SignedUrls.KEY_VARIABLE + "_FILE", keyFile.toString());
        sink = SinkService.start(SinkSettings.fromEnvironment(env));
        base = "http://127.0.0.1:" + sink.port();
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(kit.count(session, "predictions_by_series", ""))
                        .isEqualTo(expected));
    }

    @AfterAll
    void stop() {
        if (sink != null) {
            sink.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void thePredUrlServesExactlyTheUnsignedExportWithoutAToken() throws Exception {
        String unsigned =
                get(base + "/predictions.csv?dataset=" + DATASET, READ_TOKEN).body();
        assertThat(unsigned.lines()).hasSize(1 + 80).first().isEqualTo("symbol,index,date,pred_open,val_open");
        HttpResponse<String> signed = get(predUrl(DATASET, Instant.now().plus(Duration.ofDays(7))), null);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(signed.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(signed.body()).isEqualTo(unsigned);

        String other = get(predUrl(OTHER, Instant.now().plus(Duration.ofMinutes(5))), null)
                .body();
        assertThat(other)
                .isEqualTo(get(base + "/predictions.csv?dataset=" + OTHER, READ_TOKEN)
                        .body());
        assertThat(other.lines().skip(1))
                .hasSize(40)
                .allSatisfy(line -> assertThat(line).startsWith("LTC,"));

        // the filters of the export only narrow the signed dataset's CSV
        String filtered = get(predUrl(DATASET, Instant.now().plus(Duration.ofDays(1))) + "&symbols=LTC", null)
                .body();
        assertThat(filtered)
                .isEqualTo(get(base + "/predictions.csv?dataset=" + DATASET + "&symbols=LTC", READ_TOKEN)
                        .body());

        HttpResponse<String> noToken = get(base + "/predictions.csv?dataset=" + DATASET, null);
        assertThat(noToken.statusCode())
                .as("the unsigned route keeps the read token")
                .isEqualTo(401);
        HttpResponse<String> tokenOnly = get(base + "/signed/predictions.csv?dataset=" + DATASET, READ_TOKEN);
        assertThat(tokenOnly.statusCode()).as("a token is no signature").isEqualTo(403);
        assertClean("token only", tokenOnly);
    }

    @Test
    void pythonsUrllibReadsThePredUrlAsPandasWould() throws Exception {
        RequiredTools.requireOnPath("python3", "apt-get install python3");
        String url = predUrl(DATASET, Instant.now().plus(Duration.ofDays(7)));
        Process python = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())",
                        url)
                .redirectErrorStream(true)
                .start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(out).isZero();
        assertThat(out)
                .isEqualTo(get(base + "/predictions.csv?dataset=" + DATASET, READ_TOKEN)
                        .body());

        // an expired URL, as urllib reports it: HTTP 403 with the JSON message
        Process expired = new ProcessBuilder(
                        "python3",
                        "-c",
                        String.join(
                                "\n",
                                "import sys, urllib.request, urllib.error",
                                "try:",
                                "    urllib.request.urlopen(sys.argv[1])",
                                "except urllib.error.HTTPError as e:",
                                "    print(e.code, e.read().decode())"),
                        predUrl(DATASET, Instant.now().minusSeconds(5)))
                .redirectErrorStream(true)
                .start();
        String refused = new String(expired.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(expired.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).startsWith("403 ").contains("\"error\":\"expired\"").doesNotContain("Traceback");
    }

    @Test
    void expiredTamperedAndOtherDatasetsUrlsAre403WithoutAStackTrace() throws Exception {
        HttpResponse<String> expired = get(predUrl(DATASET, Instant.now().minusSeconds(1)), null);
        assertThat(expired.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(expired.body());
        assertThat(body.get("error").asText()).isEqualTo("expired");
        assertThat(body.get("message").asText()).contains("expired at").contains("UTC");
        assertThat(body.get("status").asInt()).isEqualTo(403);
        assertClean("expired", expired);

        Instant expiry = Instant.now().plus(Duration.ofDays(2));
        String url = predUrl(DATASET, expiry);
        String signature = url.substring(url.indexOf("signature=") + "signature=".length());
        String flipped = (signature.charAt(0) == 'f' ? "e" : "f") + signature.substring(1);
        Map<String, String> tampered = new LinkedHashMap<>();
        tampered.put("signature flipped", url.replace(signature, flipped));
        tampered.put("D's URL used for E", url.replace("dataset=" + DATASET, "dataset=" + OTHER));
        tampered.put(
                "expiry changed",
                url.replace("expires=" + expiry.getEpochSecond(), "expires=" + (expiry.getEpochSecond() + 1)));
        tampered.put("the test URL's signature", url.replace(signature, signer.sign(Scope.UPLOAD, DATASET, expiry)));
        tampered.put("signature cut short", url.substring(0, url.length() - 1));
        tampered.put("no expiry", base + "/signed/predictions.csv?dataset=" + DATASET + "&signature=" + signature);
        for (Map.Entry<String, String> t : tampered.entrySet()) {
            HttpResponse<String> refused = get(t.getValue(), null);
            assertThat(refused.statusCode())
                    .as(t.getKey() + ": " + refused.body())
                    .isEqualTo(403);
            JsonNode json = JSON.readTree(refused.body());
            assertThat(json.get("error").asText()).as(t.getKey()).isIn("signature_mismatch", "malformed_signed_url");
            assertThat(json.get("message").asText()).as(t.getKey()).isNotBlank();
            assertThat(refused.body()).as(t.getKey()).doesNotContain("symbol,index", signature, flipped);
            assertClean(t.getKey(), refused);
        }
        assertThat(get(url, null).statusCode()).as("the untampered URL works").isEqualTo(200);
    }

    @Test
    void rotatingTheKeyRefusesTheOldUrlAtOnceAndAnEmptyKeyTurnsTheRouteOff() throws Exception {
        String old = predUrl(DATASET, Instant.now().plus(Duration.ofDays(7)));
        assertThat(get(old, null).statusCode()).isEqualTo(200);
        try {
            Files.writeString(keyFile, KEY.replace('9', '1') + "\n");
            HttpResponse<String> stale = get(old, null);
            assertThat(stale.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(stale.body()).get("error").asText()).isEqualTo("signature_mismatch");
            assertClean("stale", stale);
            HttpResponse<String> fresh = get(predUrl(DATASET, Instant.now().plus(Duration.ofDays(7))), null);
            assertThat(fresh.statusCode()).isEqualTo(200);
            assertThat(fresh.body())
                    .isEqualTo(get(base + "/predictions.csv?dataset=" + DATASET, READ_TOKEN)
                            .body());

            Files.delete(keyFile);
            HttpResponse<String> off = get(old, null);
            assertThat(off.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(off.body()).get("error").asText()).isEqualTo("signing_not_configured");
            assertThat(JSON.readTree(off.body()).get("message").asText()).contains(SignedUrls.KEY_VARIABLE + "_FILE");
            assertClean("no key", off);
        } finally {
            Files.writeString(keyFile, KEY + "\n");
        }
    }

    private String predUrl(String dataset, Instant expires) {
        return signer.url(base, Scope.PREDICTIONS, dataset, expires);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertClean(String what, HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .contains("json");
        assertThat(response.body())
                .as(what + ": " + response.body())
                .doesNotContain(
                        "Exception", "at io.", "at org.", "at java.", "<html", READ_TOKEN, KEY, keyFile.toString());
    }
}

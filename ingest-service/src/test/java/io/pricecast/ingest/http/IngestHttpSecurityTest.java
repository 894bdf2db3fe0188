package io.pricecast.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of ingest's HTTP API with both optional tokens configured: uploads need the write token, reads the
 * read token (health excepted); errors are JSON without exception text or the tokens.
 */
@ExtendWith(RealStack.class)
class IngestHttpSecurityTest {

    private static final String READ_TOKEN = "ingest-read-s3cret";
    private static final String WRITE_TOKEN = "ingest-write-s3cret";
    private static final String CSV =
            "symbol,date,open,high,low,close,volume,market\nSEC,2020-01-01,100,110,90,105,1000,5000\n";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void uploadsNeedTheWriteTokenReadsTheReadTokenAndErrorsStayClean(StackEndpoints stack, @TempDir Path state)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "ingest-security", 1);
        IngestConfig config = IngestConfig.defaults()
                .withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleEnabled(false);
        ServiceSettings settings = new ServiceSettings(
                stack.kafkaBootstrap(),
                stack.registryUrl(),
                stack.cassandra(),
                stack.localDatacenter(),
                stack.createKeyspace("ingest_security"),
                0,
                state,
                Map.of(HttpGuard.READ_TOKEN, READ_TOKEN, HttpGuard.WRITE_TOKEN, WRITE_TOKEN));
        try (IngestService service = IngestService.start(settings, config, stack.serdes())) {
            String base = "http://127.0.0.1:" + service.port();
            HttpResponse<String> none = send("POST", base + "/uploads?dataset=sec", null, CSV, "text/csv");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertClean("no token", none);
            assertThat(send("POST", base + "/uploads?dataset=sec", READ_TOKEN, CSV, "text/csv")
                            .statusCode())
                    .as("the read token cannot upload")
                    .isEqualTo(401);
            HttpResponse<String> accepted = send("POST", base + "/uploads?dataset=sec", WRITE_TOKEN, CSV, "text/csv");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String status =
                    base + IngestTestKit.json(accepted).get("status_url").asText();

            // open without a token, and ready (a 401 would never turn into the awaited 200)
            Readiness.await200(base + "/health", Duration.ofSeconds(60));
            assertThat(send("GET", base + "/openapi.json", null, null, null).statusCode())
                    .as("the OpenAPI document is open")
                    .isEqualTo(200);
            assertThat(service.openApi().routes())
                    .as("every route is documented, every documented operation is a route")
                    .isEqualTo(service.openApi().documented());
            for (String read : new String[] {status, base + "/metrics"}) {
                HttpResponse<String> refused = send("GET", read, null, null, null);
                assertThat(refused.statusCode()).as(read).isEqualTo(401);
                assertClean(read, refused);
                assertThat(send("GET", read, WRITE_TOKEN, null, null).statusCode())
                        .as(read + " write token")
                        .isEqualTo(401);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> IngestTestKit.json(send("GET", status, READ_TOKEN, null, null))
                            .get("status")
                            .asText()
                            .equals("published"));

            assertClean("bad id", expect(400, send("GET", base + "/uploads/nope", READ_TOKEN, null, null)));
            assertClean(
                    "bad dataset",
                    expect(400, send("POST", base + "/uploads?dataset=a%7Cb", WRITE_TOKEN, CSV, "text/csv")));
            assertClean(
                    "multipart without file",
                    expect(
                            400,
                            send(
                                    "POST",
                                    base + "/uploads",
                                    WRITE_TOKEN,
                                    "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
                                    "multipart/form-data; boundary=b")));
            HttpResponse<String> brokenMultipart = send(
                    "POST",
                    base + "/uploads",
                    WRITE_TOKEN,
                    "not multipart at all",
                    "multipart/form-data; boundary=zzz");
            assertThat(brokenMultipart.statusCode()).isEqualTo(400);
            assertThat(brokenMultipart.headers().firstValue("Connection"))
                    .as("an unreadable body's connection is not reused")
                    .hasValue("close");
            assertClean("broken multipart", brokenMultipart);
            HttpResponse<String> delete = send("DELETE", status, WRITE_TOKEN, null, null);
            assertThat(delete.statusCode())
                    .as("uploads cannot be deleted over HTTP")
                    .isEqualTo(404);
            assertClean("delete", delete);
            Readiness.await200(base + "/health", Duration.ofSeconds(60));
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static void assertClean(String what, HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .contains("json");
        assertThat(response.body())
                .as(what + ": " + response.body())
                .doesNotContain("Exception", "at io.", "at org.", "at java.", READ_TOKEN, WRITE_TOKEN);
    }

    private static HttpResponse<String> send(String method, String url, String token, String body, String type)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

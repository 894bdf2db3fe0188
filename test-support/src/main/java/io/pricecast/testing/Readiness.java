package io.pricecast.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for a service's readiness route ({@code /health} or {@code /health/ready}) to answer 200.
 *
 * <p>Readiness asks Kafka and Cassandra, each with a timeout of a few seconds, and a loaded 2-core machine can keep
 * an answer past it for a moment: one 503 means "not ready now", not "broken". A test that checks a service is (still)
 * ready therefore waits for a 200 and fails with the last answer, which names the check that failed.
 */
public final class Readiness {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);

    private Readiness() {}

    /**
     * @param url the readiness route's full URL
     * @param within how long the service has to answer 200
     * @throws AssertionError naming the last status and body when it never did
     */
    public static void await200(String url, Duration within) {
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            await().atMost(within).pollInterval(POLL).until(() -> {
                HttpResponse<String> r = get(url, last);
                return r != null && r.statusCode() == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "GET " + url + " did not answer 200 within " + within + "; last: " + last.get(), e);
        }
    }

    private static HttpResponse<String> get(String url, AtomicReference<String> last) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(REQUEST_TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            last.set(r.statusCode() + " " + r.body());
            return r;
        } catch (IOException e) {
            last.set(e.toString());
            return null;
        }
    }
}

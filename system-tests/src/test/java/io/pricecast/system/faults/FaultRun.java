package io.pricecast.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What both fault suites (one node, {@link FaultSuiteTest}; the cluster, {@link HaFaultSuiteTest}) do around a
 * fault: wait for the ledger while resending stalled uploads as a client does, take the final tally, check it, and
 * probe the services over HTTP.
 */
final class FaultRun {

    /** A killed consumer's partitions wait out its session (10 s under the tests, 45 s by default) before they move. */
    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(180);

    static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration UPLOAD_RESEND_AFTER = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Ledger ledger;

    FaultRun(Ledger ledger) {
        this.ledger = ledger;
    }

    Ledger ledger() {
        return ledger;
    }

    /**
     * Waits until nothing of {@code expected} is missing in Cassandra, resending stalled uploads meanwhile; on
     * time-out says what is missing.
     */
    void awaitComplete(Ledger.Expected expected, String what, UploadClient client) {
        await().atMost(RECOVERY_TIMEOUT).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            client.resendStalled();
            Ledger.Tally tally = ledger.tally(expected);
            assertThat(tally.missing())
                    .as("%s: %s", what, tally.describeMissing())
                    .isEmpty();
        });
    }

    /**
     * Lets the load finish, waits until every upload is published and every record sent is in Cassandra, then
     * tallies Cassandra and the committed topics.
     *
     * @param load     the fault's load
     * @param client   its upload client
     * @param loadTime how long the load may still take to send everything
     * @return the tally of everything sent
     */
    Ledger.Tally finish(FaultLoad load, UploadClient client, Duration loadTime) {
        await().atMost(loadTime.plus(RECOVERY_TIMEOUT)).pollInterval(POLL).until(load::allSent);
        await().atMost(RECOVERY_TIMEOUT).pollInterval(POLL).until(() -> client.resendStalled() == 0 && load.allSent());
        Ledger.Expected all = load.expected();
        awaitComplete(all, "every record sent", client);
        return ledger.withTopicDuplicates(ledger.tally(all), all);
    }

    /**
     * Every input record exactly once in Cassandra, as a forecast or a refusal: none missing, none twice, nothing
     * else.
     */
    static void assertAccountedForOnce(FaultLoad load, Ledger.Tally tally) {
        assertThat(load.sendFailures())
                .as("console records the load could not send")
                .isEmpty();
        assertThat(tally.missing())
                .as("input records with neither a forecast nor a refusal")
                .isEmpty();
        assertThat(tally.unexpected()).as("rows no input record asked for").isEmpty();
        assertThat(tally.duplicateSamples())
                .as("records stored or published more than once")
                .isEmpty();
        assertThat(tally.predictionsOut()).isEqualTo(load.expected().predictions());
    }

    /**
     * The client side of the upload contract (docs/ingest-service.md): an upload that is not published and that no
     * instance is publishing (it failed, or its worker died with Cassandra unreachable) is sent again, which
     * resumes it; at most every {@link #UPLOAD_RESEND_AFTER} per upload.
     */
    static final class UploadClient {
        private final FaultLoad load;
        private final Map<String, Instant> resentAt = new ConcurrentHashMap<>();

        UploadClient(FaultLoad load) {
            this.load = load;
        }

        /** @return the uploads not published yet */
        int resendStalled() {
            int unpublished = 0;
            for (FaultLoad.Upload upload : load.uploads().values()) {
                FaultLoad.UploadState state = load.uploadState(upload.id());
                if (state.published()) {
                    continue;
                }
                unpublished++;
                Instant last = resentAt.get(upload.id());
                if (state.stalled()
                        && (last == null || last.plus(UPLOAD_RESEND_AFTER).isBefore(Instant.now()))) {
                    resentAt.put(upload.id(), Instant.now());
                    load.resend(upload);
                }
            }
            return unpublished;
        }
    }

    private static HttpResponse<String> request(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String get(String url) throws IOException, InterruptedException {
        return request(url).body();
    }

    /** @return the status code of a GET, or -1 when nothing answered */
    static int status(String url) {
        try {
            return request(url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

package io.pricecast.stack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.runtime.http.SignedUrls;
import io.pricecast.schemas.SharedTables;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import io.pricecast.stack.UrlSigningKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The main job of README command 1: upload a price file through the test URL, follow it until every
 * forecast is in Cassandra, and say where to look. It talks to the services only over their public
 * HTTP APIs, as an analyst's tools would.
 */
public final class SampleDemo {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STABLE_FOR = Duration.ofSeconds(20);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);
    /** How long the signed URLs the demo prints work (as {@code ./pricecast urls}' default). */
    private static final Duration SIGNED_URLS_LIFETIME = Duration.ofDays(7);

    private final StackConfig config;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param config the stack
     * @param out    where the progress and the summary go
     */
    public SampleDemo(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** @return the ingest service's base URL */
    public String ingestUrl() {
        return "http://127.0.0.1:" + config.ingestPort();
    }

    /** @return the sink service's base URL (the pred URL's host) */
    public String sinkUrl() {
        return "http://127.0.0.1:" + config.sinkPort();
    }

    /**
     * Uploads the file, waits for its forecasts and prints the summary.
     *
     * @param file    a price CSV
     * @param dataset the dataset to upload into
     * @return what happened
     */
    public Result run(Path file, String dataset) {
        JsonNode accepted = upload(file, dataset);
        String uploadId = accepted.path("upload_id").asText();
        JsonNode status = awaitJudged(uploadId);
        JsonNode counts = status.path("counts");
        long acceptedCount = counts.path("accepted").asLong();
        long predicted = awaitPredictions(dataset, acceptedCount);
        Result r = new Result(
                uploadId,
                dataset,
                counts.path("total").asLong(),
                acceptedCount,
                counts.path("rejected_total").asLong(),
                counts.path("duplicates").asLong(),
                predicted,
                predUrl(dataset),
                newestLineageUrl(dataset));
        print(r);
        return r;
    }

    private JsonNode upload(Path file, String dataset) {
        out.println("demo: uploading " + file.getFileName() + " to dataset '" + dataset + "' (" + ingestUrl()
                + "/uploads)");
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(ingestUrl() + "/uploads?dataset="
                                    + URLEncoder.encode(dataset, StandardCharsets.UTF_8)))
                            .header("Content-Type", "text/csv")
                            .timeout(Duration.ofMinutes(2))
                            .POST(HttpRequest.BodyPublishers.ofFile(file))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new StackException("upload refused (" + r.statusCode() + "): " + r.body());
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new StackException(
                    "cannot upload to the ingest service at " + ingestUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while uploading", e);
        }
    }

    /** Waits until the upload is published and scoring has judged every one of its records against its series. */
    private JsonNode awaitJudged(String uploadId) {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = getJson(ingestUrl() + "/uploads/" + uploadId);
            String state = status.path("status").asText();
            String line = "demo: upload " + uploadId + " " + state
                    + (status.has("progress")
                            ? ", "
                                    + status.path("progress")
                                            .path("records_read")
                                            .asLong() + " records read"
                            : "")
                    + (status.has("counts")
                            ? ", " + status.path("counts").path("accepted").asLong() + " accepted, "
                                    + status.path("counts")
                                            .path("rejected_total")
                                            .asLong() + " rejected, "
                                    + status.path("counts").path("pending").asLong() + " awaiting scoring's judgement"
                            : "");
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
            if ("published".equals(state) && status.path("judged").asBoolean()) {
                return status;
            }
            if ("failed".equals(state)) {
                throw new StackException("upload " + uploadId + " failed: "
                        + status.path("error").asText(status.toString()));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new StackException("upload " + uploadId + " not published and judged after " + GIVE_UP_AFTER.toMinutes()
                + " min (" + last + "); see ./pricecast logs ingest and ./pricecast logs scoring");
    }

    /** Waits until every accepted record has a forecast in Cassandra, or the count stops growing. */
    private long awaitPredictions(String dataset, long expected) {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        long count = -1;
        Instant changed = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            long now = countPredictions(dataset);
            if (now != count) {
                out.printf("demo: %,d of %,d forecasts in Cassandra%n", now, expected);
                count = now;
                changed = Instant.now();
            }
            if (count >= expected || (count > 0 && Instant.now().isAfter(changed.plus(STABLE_FOR)))) {
                return count;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new StackException("only " + count + " of " + expected + " forecasts arrived in "
                + GIVE_UP_AFTER.toMinutes() + " min; see ./pricecast logs scoring and ./pricecast logs sink");
    }

    private long countPredictions(String dataset) {
        try {
            HttpResponse<InputStream> r = http.send(
                    HttpRequest.newBuilder(URI.create(predUrl(dataset)))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                return 0;
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                return Math.max(0, reader.lines().count() - 1);
            }
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for forecasts", e);
        }
    }

    private String newestLineageUrl(String dataset) {
        try {
            HttpResponse<InputStream> r = http.send(
                    HttpRequest.newBuilder(URI.create(predUrl(dataset))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String symbol = null;
            String date = null;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String header = reader.readLine();
                String line;
                while (header != null && (line = reader.readLine()) != null) {
                    String[] cells = line.split(",", -1);
                    if (symbol == null || symbol.equals(cells[0])) {
                        symbol = cells[0];
                        date = cells[2];
                    }
                }
            }
            return symbol == null ? null : sinkUrl() + "/predictions/" + dataset + "/" + symbol + "/" + date;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @param dataset a dataset
     * @return its pred URL
     */
    public String predUrl(String dataset) {
        return sinkUrl() + "/predictions.csv?dataset=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8);
    }

    /**
     * @param dataset a dataset
     * @return the sink's chart page of it (actual vs predicted open, accuracy, lineage per point)
     */
    public String chartUrl(String dataset) {
        return sinkUrl() + "/chart?dataset=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8) + "&symbol=BTC";
    }

    /**
     * The dataset's signed URLs, as {@code ./pricecast urls} prints them: no token needed, they work until they expire
     * or the stack's key ({@code $PRICECAST_HOME/url-signing.key}) is rotated.
     *
     * @param dataset a dataset
     * @param expires when they stop working
     * @return {@code [test URL, pred URL]}
     * @throws SignedUrls.KeyUnavailable when the stack has no key yet
     */
    public String[] signedUrls(String dataset, Instant expires) {
        SignedUrls signer = SignedUrls.ofKeyFile(UrlSigningKey.file(config));
        return new String[] {
            signer.url(ingestUrl(), SignedUrls.Scope.UPLOAD, dataset, expires),
            signer.url(sinkUrl(), SignedUrls.Scope.PREDICTIONS, dataset, expires)
        };
    }

    private void printSignedUrls(String dataset) {
        Instant expires =
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(SIGNED_URLS_LIFETIME);
        out.println();
        try {
            String[] urls = signedUrls(dataset, expires);
            out.println("Signed URLs, no token needed, until " + expires + " (UTC); ./pricecast urls --dataset "
                    + dataset + " makes more:");
            out.println("  test_url (curl -T file.csv URL):  " + urls[0]);
            out.println("  pred_url (pandas.read_csv(URL)):  " + urls[1]);
        } catch (SignedUrls.KeyUnavailable e) {
            out.println("Signed URLs: none, the stack has no usable key in " + UrlSigningKey.file(config)
                    + " (./pricecast down, then ./pricecast up, generates one).");
        }
    }

    private JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new StackException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new StackException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private void print(Result r) {
        out.println();
        out.printf(
                "Upload %s into dataset '%s': %,d records: %,d accepted, %,d rejected, %,d duplicates; %,d forecasts.%n",
                r.uploadId(), r.dataset(), r.total(), r.accepted(), r.rejected(), r.duplicates(), r.predicted());
        out.println();
        out.println("Chart (open in a browser):   " + chartUrl(r.dataset()));
        out.println("Predictions CSV (pred URL):  " + r.predUrl());
        if (r.lineageUrl() != null) {
            out.println("Lineage of one forecast:     " + r.lineageUrl());
        }
        out.println("Upload status:               " + ingestUrl() + "/uploads/" + r.uploadId());
        printSignedUrls(r.dataset());
        out.println();
        out.println("Look further:");
        out.println("  ./pricecast kafka-console-consumer --topic predictions --from-beginning --max-messages 3 \\");
        out.println("      --formatter io.pricecast.schemas.console.AvroJsonFormatter");
        out.println("  cqlsh 127.0.0.1 " + config.cassandraPort()
                + " -e \"SELECT symbol, target_date, pred_open, model_version FROM " + config.keyspace() + "."
                + SharedTables.PREDICTIONS_BY_SERIES + " WHERE dataset = '" + r.dataset()
                + "' AND symbol = 'BTC' LIMIT 5;\"");
        out.println("  ./pricecast accuracy --dataset " + r.dataset()
                + "    (7- and 30-day MAD per symbol and model, vs naive)");
        out.println("  ./pricecast status    ./pricecast logs scoring    ./pricecast down");
    }

    /**
     * What the demo did.
     *
     * @param uploadId   upload id
     * @param dataset    dataset
     * @param total      records in the file
     * @param accepted   accepted records
     * @param rejected   rejected records
     * @param duplicates exact duplicates
     * @param predicted  forecasts in Cassandra
     * @param predUrl    the pred URL
     * @param lineageUrl one forecast's lineage URL, or null
     */
    public record Result(
            String uploadId,
            String dataset,
            long total,
            long accepted,
            long rejected,
            long duplicates,
            long predicted,
            String predUrl,
            String lineageUrl) {}
}

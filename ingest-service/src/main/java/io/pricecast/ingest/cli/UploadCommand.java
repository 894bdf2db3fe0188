package io.pricecast.ingest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.runtime.http.HttpGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./pricecast upload <file> [--dataset D] [--url U]}: posts a price CSV to ingest-service
 * (streamed from disk), follows its progress until it is published and its records are judged against their
 * series' history by scoring, and prints its counts. Exit status 0 when the upload is published (rejections
 * included, and also when the judgement did not finish within {@code --judged-within}: the counts then say how
 * many records are pending), 1 when it failed or the service cannot be reached, 2 for bad arguments.
 */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Upload a daily-price CSV to ingest-service and follow it until it is published and every "
                    + "record is judged against its series' history (new day, duplicate, older day) by scoring.",
            "Exit 0 when published (with rejections, or with records still pending after --judged-within), "
                    + "1 when refused or failed or ingest cannot be reached, 2 for a missing file."
        })
public final class UploadCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int SHOWN_REJECTIONS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "<file>",
            description = "the CSV file (a notebook, markets-dump or short layout)")
    private Path file;

    @Option(
            names = "--dataset",
            paramLabel = "D",
            description = "dataset to upload into (default: a dataset of the file's own, upload-<sha256 prefix>)")
    private String dataset;

    @Option(
            names = "--url",
            paramLabel = "U",
            defaultValue = "${env:PRICECAST_INGEST_URL:-http://127.0.0.1:8082}",
            description = "ingest-service base URL (default: ${DEFAULT-VALUE})")
    private String url;

    @Option(
            names = "--poll-ms",
            paramLabel = "MS",
            defaultValue = "500",
            description = "status poll interval (default: ${DEFAULT-VALUE})")
    private long pollMillis;

    @Option(
            names = "--judged-within",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "how long to wait, once published, for scoring's verdicts on every record; 0 does not wait "
                    + "(default: ${DEFAULT-VALUE})")
    private long judgedWithinSeconds;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("upload: " + file + " is not a readable file");
            return EXIT_USAGE;
        }
        String base = url.replaceAll("/+$", "");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        try {
            String target = base + "/uploads"
                    + (dataset == null ? "" : "?dataset=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8));
            long size = Files.size(file);
            HttpResponse<String> posted;
            try (ProgressBar sending = UploadBars.sending(err, size)) {
                posted = http.send(
                        HttpGuard.authorize(
                                        HttpRequest.newBuilder(URI.create(target)),
                                        System.getenv(),
                                        HttpGuard.WRITE_TOKEN)
                                .header("Content-Type", "text/csv")
                                .POST(HttpRequest.BodyPublishers.fromPublisher(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> UploadBars.counting(open(file), sending::stepTo)),
                                        size))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            if (posted.statusCode() != 202) {
                err.println(
                        "upload: " + file + " refused (HTTP " + posted.statusCode() + "): " + message(posted.body()));
                return EXIT_FAILED;
            }
            JsonNode accepted = JSON.readTree(posted.body());
            String id = accepted.get("upload_id").asText();
            err.println("upload " + id + " into dataset "
                    + accepted.get("dataset").asText()
                    + (accepted.get("repeat").asBoolean() ? " (this file was already sent to this dataset)" : ""));
            JsonNode status = follow(http, base + accepted.get("status_url").asText(), err);
            return report(status, out, err);
        } catch (ConnectException e) {
            err.println("upload: cannot reach ingest-service at " + base + " (is the stack up? ./pricecast up)");
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("upload: " + file + " could not be sent to " + base + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private JsonNode follow(HttpClient http, String statusUrl, PrintWriter err)
            throws IOException, InterruptedException {
        try (ProgressBar publishing = UploadBars.publishing(err)) {
            return follow(http, statusUrl, err, publishing);
        }
    }

    private JsonNode follow(HttpClient http, String statusUrl, PrintWriter err, ProgressBar publishing)
            throws IOException, InterruptedException {
        long judgedBy = Long.MAX_VALUE;
        while (true) {
            HttpResponse<String> response = http.send(
                    HttpGuard.authorize(
                                    HttpRequest.newBuilder(URI.create(statusUrl)),
                                    System.getenv(),
                                    HttpGuard.READ_TOKEN)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(
                        "status answered HTTP " + response.statusCode() + ": " + message(response.body()));
            }
            JsonNode status = JSON.readTree(response.body());
            String state = status.get("status").asText();
            if (state.equals("published")) {
                if (judgedBy == Long.MAX_VALUE) {
                    judgedBy = System.nanoTime()
                            + Duration.ofSeconds(judgedWithinSeconds).toNanos();
                }
                long published = status.at("/ingest/published").asLong();
                publishing.maxHint(published);
                publishing.stepTo(published);
                if (status.path("judged").asBoolean() || System.nanoTime() >= judgedBy) {
                    return status;
                }
                publishing.setExtraMessage(
                        "judged " + status.at("/verdicts/judged").asLong() + " against their series");
            } else if (state.equals("failed")) {
                return status;
            } else {
                publishing.stepTo(status.at("/progress/records_published").asLong());
                publishing.setExtraMessage(
                        state + ", " + status.at("/progress/records_read").asLong() + " read");
            }
            Thread.sleep(pollMillis);
        }
    }

    private static int report(JsonNode status, PrintWriter out, PrintWriter err) {
        String id = status.get("upload_id").asText();
        if (status.get("status").asText().equals("failed")) {
            err.println("upload " + id + " failed: " + status.path("error").asText("no reason recorded"));
            return EXIT_FAILED;
        }
        JsonNode counts = status.get("counts");
        out.println("upload " + id + " published to dataset "
                + status.get("dataset").asText() + " (sha256 "
                + status.get("file_sha256").asText() + ")");
        long pending = counts.path("pending").asLong();
        out.println("total " + counts.get("total").asLong() + ", accepted "
                + counts.get("accepted").asLong()
                + ", duplicates " + counts.get("duplicates").asLong() + ", rejected "
                + counts.get("rejected_total").asLong()
                + (pending > 0 ? ", pending " + pending : ""));
        if (pending > 0) {
            out.println("note: " + pending
                    + " published records are not judged against their series yet (is scoring-streams "
                    + "running? ./pricecast status); ./pricecast upload of the same file again shows the final counts");
        }
        JsonNode verdicts = status.path("verdicts");
        out.println("forecasts " + verdicts.path("forecasts").asLong()
                + verdicts.path("not_forecast").properties().stream()
                        .map(e -> ", no forecast (" + e.getKey() + ") "
                                + e.getValue().asLong())
                        .reduce("", String::concat));
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.get("rejected").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> reason = it.next();
            out.println("  " + reason.getKey() + ": " + reason.getValue().asLong());
        }
        status.path("shared_tickers").forEach(note -> out.println("note: " + note.asText()));
        int shown = 0;
        for (JsonNode line : status.path("rejected_lines")) {
            if (shown++ == SHOWN_REJECTIONS) {
                break;
            }
            out.println("  line " + line.get("line").asLong() + " "
                    + line.get("reason").asText() + ": " + line.get("message").asText());
        }
        out.flush();
        return 0;
    }

    private static String message(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json.has("message") ? json.get("message").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    /**
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new UploadCommand()).execute(args));
    }
}

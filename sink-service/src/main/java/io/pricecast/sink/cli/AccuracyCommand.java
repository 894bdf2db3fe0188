package io.pricecast.sink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.runtime.http.HttpGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pricecast accuracy}: the rolling accuracy table (7- and 30-day MAD per series and model
 * version, the naive "tomorrow = today" MAD, the flag) from the sink-service's {@code /accuracy}.
 */
@Command(
        name = "accuracy",
        mixinStandardHelpOptions = true,
        description = {
            "Print the rolling accuracy of the forecasts: per series and model version,",
            "the mean absolute deviation (MAD) over the last 7 and 30 days next to the",
            "naive \"tomorrow = today\" MAD, flagged where the model did worse than naive",
            "over 30 days."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the table was printed", "1:the sink refused or could not be reached"})
public final class AccuracyCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final MathContext SIGNIFICANT = new MathContext(6);
    private static final String[] HEADER = {
        "dataset", "model", "symbol", "last day", "n7", "MAD 7d", "naive 7d", "n30", "MAD 30d", "naive 30d", "flag"
    };

    @Spec
    private CommandSpec spec;

    @Option(names = "--dataset", description = "only this dataset (default: every dataset with scored forecasts)")
    private String dataset;

    @Option(names = "--model", description = "only this model version (default: every version)")
    private String model;

    @Option(names = "--flagged", description = "only the series flagged as worse than naive")
    private boolean flagged;

    @Option(names = "--json", description = "print the sink's JSON instead of the table")
    private boolean json;

    @Option(
            names = "--url",
            description = "sink-service base URL (default: $PRICECAST_SINK_URL or " + ExportCommand.DEFAULT_URL + ")")
    private String url;

    /** @param args command line */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AccuracyCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String base = ExportCommand.baseUrl(url);
        StringBuilder u = new StringBuilder(base).append("/accuracy?flagged=").append(flagged);
        if (dataset != null) {
            u.append("&dataset=").append(URLEncoder.encode(dataset, StandardCharsets.UTF_8));
        }
        if (model != null) {
            u.append("&model=").append(URLEncoder.encode(model, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder()
                    .connectTimeout(TIMEOUT)
                    .build()
                    .send(
                            HttpGuard.authorize(
                                            HttpRequest.newBuilder(URI.create(u.toString())),
                                            System.getenv(),
                                            HttpGuard.READ_TOKEN)
                                    .timeout(TIMEOUT)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            stderr.println(
                    "accuracy failed: the sink-service at " + base + " is not reachable (is ./pricecast up running?)");
            stderr.flush();
            return 1;
        }
        if (response.statusCode() != 200) {
            stderr.println("accuracy failed: " + response.statusCode() + " "
                    + response.body().strip());
            stderr.flush();
            return 1;
        }
        if (json) {
            stdout.println(response.body());
            stdout.flush();
            return 0;
        }
        JsonNode body = new ObjectMapper().readTree(response.body());
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (JsonNode r : body.path("rows")) {
            lines.add(new String[] {
                r.path("dataset").asText(),
                r.path("model_version").asText(),
                r.path("symbol").asText(),
                r.path("last_target_date").asText(),
                r.path("scored_7").asText(),
                number(r.path("mad_7")),
                number(r.path("naive_mad_7")),
                r.path("scored_30").asText(),
                number(r.path("mad_30")),
                number(r.path("naive_mad_30")),
                r.path("flagged").asBoolean() ? "worse than naive" : "ok"
            });
        }
        if (lines.size() > 1) {
            print(stdout, lines);
        }
        int series = body.path("series").asInt();
        stdout.println(
                series == 0
                        ? "no forecast scored yet" + (dataset == null ? "" : " in dataset " + dataset)
                        : body.path("flagged").asInt() + " of " + series
                                + " series flagged (30-day MAD above the naive \"tomorrow = today\" MAD)");
        stdout.flush();
        return 0;
    }

    private static void print(PrintWriter out, List<String[]> lines) {
        int[] width = new int[HEADER.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                boolean text = i < 4 || i == l.length - 1;
                String cell =
                        text ? String.format("%-" + width[i] + "s", l[i]) : String.format("%" + width[i] + "s", l[i]);
                b.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static String number(JsonNode n) {
        return new BigDecimal(n.asDouble())
                .round(SIGNIFICANT)
                .stripTrailingZeros()
                .toPlainString();
    }
}

package io.pricecast.sink.cli;

import io.pricecast.runtime.http.HttpGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pricecast export}: downloads the predictions CSV of a dataset from the sink-service (streamed
 * to the file), or prints its URL (the pred URL to paste into the front end).
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Download the predictions CSV (symbol,index,date,pred_open,val_open) of a dataset,",
            "or print its URL (the pred URL) with --print-url."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the file was written (or the URL printed)", "1:the sink refused or could not be reached"})
public final class ExportCommand implements Callable<Integer> {

    /** The sink's address when neither --url nor PRICECAST_SINK_URL says otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8084";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "dataset to export")
    private String dataset;

    @Option(names = "--out", description = "file to write (required unless --print-url)")
    private Path out;

    @Option(names = "--symbols", split = ",", description = "only these symbols, comma-separated, in this order")
    private List<String> symbols = new ArrayList<>();

    @Option(names = "--from", description = "first target date, yyyy-mm-dd")
    private LocalDate from;

    @Option(names = "--to", description = "last target date, yyyy-mm-dd")
    private LocalDate to;

    @Option(names = "--model", description = "model version (default: the latest-scored forecast of each date)")
    private String model;

    @Option(
            names = "--url",
            description = "sink-service base URL (default: $PRICECAST_SINK_URL or " + DEFAULT_URL + ")")
    private String url;

    @Option(names = "--print-url", description = "print the pred URL instead of downloading")
    private boolean printUrl;

    /** @param args command line */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ExportCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        String predUrl = predUrl();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (printUrl) {
            stdout.println(predUrl);
            stdout.flush();
            return 0;
        }
        if (out == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--out is required unless --print-url is given");
        }
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            HttpResponse<Path> response = HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .build()
                    .send(
                            HttpGuard.authorize(
                                            HttpRequest.newBuilder(URI.create(predUrl)),
                                            System.getenv(),
                                            HttpGuard.READ_TOKEN)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                stderr.println("export failed: " + response.statusCode() + " "
                        + Files.readString(partial).strip());
                stderr.flush();
                return 1;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.net.ConnectException e) {
            stderr.println("export failed: the sink-service at " + baseUrl()
                    + " is not reachable (is ./pricecast up running?)");
            stderr.flush();
            return 1;
        } finally {
            Files.deleteIfExists(partial);
        }
        stdout.println("wrote " + target);
        stdout.flush();
        return 0;
    }

    /** @return the export URL for these options */
    String predUrl() {
        StringBuilder u =
                new StringBuilder(baseUrl()).append("/predictions.csv?dataset=").append(encode(dataset));
        if (!symbols.isEmpty()) {
            u.append("&symbols=").append(encode(String.join(",", symbols)));
        }
        if (from != null) {
            u.append("&from=").append(from);
        }
        if (to != null) {
            u.append("&to=").append(to);
        }
        if (model != null) {
            u.append("&model=").append(encode(model));
        }
        return u.toString();
    }

    private String baseUrl() {
        return baseUrl(url);
    }

    /**
     * @param url the {@code --url} option, or null
     * @return the sink's base URL: the option, else {@code $PRICECAST_SINK_URL}, else {@link #DEFAULT_URL}
     */
    static String baseUrl(String url) {
        String base = url != null ? url : System.getenv().getOrDefault("PRICECAST_SINK_URL", DEFAULT_URL);
        return base.replaceAll("/+$", "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

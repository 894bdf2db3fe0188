package io.pricecast.sink.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pricecast.runtime.http.HealthRoutes;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.MetricsRoutes;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.http.SignedUrls;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.sink.chart.ChartRoutes;
import io.pricecast.sink.export.ExportRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's HTTP API (Javalin): the predictions CSV, the lineage look-up, the symbols of a dataset,
 * an upload's refusals, health and metrics. Errors are JSON {@code {"status":..,"error":..}} without
 * stack traces or exception text. Reads need a token when {@code PRICECAST_HTTP_READ_TOKEN} is set ({@link HttpGuard}),
 * but for the signed pred URL, {@code GET /signed/predictions.csv?dataset=D&expires=E&signature=S} ({@link SignedUrls}):
 * the same CSV as {@code /predictions.csv?dataset=D}, its signature standing in for the token; its refusals are
 * {@code {"status": 403|503, "error": code, "message": ..}}.
 */
public final class SinkHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkHttp.class);
    /** Content type of the predictions CSV. */
    public static final String CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

    private static final int CSV_BUFFER_CHARS = 64 * 1024;

    private final Javalin app;
    private final Supplier<SinkBackend> backend;
    private final SinkBackend.Status status;
    private final HttpGuard guard;
    private final OpenApi openApi = new OpenApi("openapi/sink.json");

    /**
     * Starts serving.
     *
     * @param port    port (0 for any free one)
     * @param backend the backend, null until Cassandra is connected
     * @param status  health and the status document
     * @param chart   the chart page and accuracy API
     * @param metrics the registry served on /metrics
     * @param guard   read token, body limit, error hygiene
     */
    public SinkHttp(
            int port,
            Supplier<SinkBackend> backend,
            SinkBackend.Status status,
            ChartRoutes chart,
            ServiceMetrics metrics,
            HttpGuard guard) {
        this.backend = backend;
        this.status = status;
        this.guard = guard;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.staticFiles.enableWebjars(); // the chart page's library, from its jar
            guard.configure(config);
            openApi.recordRoutes(config);
            RoutesConfig routes = config.routes;
            guard.install(routes, (ctx, code, ignored, message) -> error(ctx, code, message));
            HealthRoutes.install(routes, this::health, status::fatalReason);
            MetricsRoutes.install(routes, metrics);
            routes.get("/status", ctx -> ctx.json(status.status()));
            routes.get("/predictions.csv", ctx -> predictionsCsv(ctx, required(ctx, "dataset")));
            routes.get(SignedUrls.Scope.PREDICTIONS.path(), this::signedPredictionsCsv);
            routes.get("/predictions/by-id/{id}", this::lineageById);
            routes.get("/predictions/{dataset}/{symbol}/{date}", this::lineage);
            routes.get("/datasets/{dataset}/symbols", this::symbols);
            routes.get("/uploads/{id}", this::upload);
            chart.register(routes);
            openApi.serve(routes);
            routes.exception(BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
            routes.exception(Unavailable.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
            routes.error(HttpStatus.NOT_FOUND, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, HttpStatus.NOT_FOUND, "no such resource: " + ctx.path());
                }
            });
        });
        this.app.start(port);
    }

    /** @return the OpenAPI document and the routes registered */
    public OpenApi openApi() {
        return openApi;
    }

    /** @return the port it listens on */
    public int port() {
        return app.port();
    }

    private void health(Context ctx) {
        String reason = status.unhealthyReason();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reason == null ? "up" : "down");
        if (reason != null) {
            body.put("reason", reason);
        }
        ctx.status(reason == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(body);
    }

    private SinkBackend backend() {
        SinkBackend b = backend.get();
        if (b == null) {
            throw new Unavailable("starting: not connected to Cassandra yet");
        }
        return b;
    }

    /** The signed pred URL: the signed dataset's CSV (the optional filters only narrow it), no read token needed. */
    private void signedPredictionsCsv(Context ctx) throws IOException {
        var dataset = guard.signed(ctx, SignedUrls.Scope.PREDICTIONS, SinkHttp::signedError);
        if (dataset.isPresent()) {
            predictionsCsv(ctx, dataset.get());
        }
    }

    private void predictionsCsv(Context ctx, String dataset) throws IOException {
        SinkBackend b = backend();
        List<String> symbols = ctx.queryParam("symbols") == null
                ? List.of()
                : Arrays.stream(ctx.queryParam("symbols").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .distinct()
                        .toList();
        ExportRequest request;
        try {
            request = new ExportRequest(
                    dataset,
                    symbols,
                    date(ctx, "from", ExportRequest.MIN_DATE),
                    date(ctx, "to", ExportRequest.MAX_DATE),
                    blankToNull(ctx.queryParam("model")));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        if (!b.export().datasetKnown(request)) {
            error(ctx, HttpStatus.NOT_FOUND, "dataset '" + dataset + "' has no symbols (nothing stored for it)");
            return;
        }
        ctx.status(HttpStatus.OK);
        ctx.contentType(CSV_CONTENT_TYPE);
        Writer out = new BufferedWriter(
                new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8), CSV_BUFFER_CHARS);
        long rows = b.export().write(request, out);
        out.flush();
        LOG.info("exported {} rows of dataset {}", rows, dataset);
    }

    private void lineage(Context ctx) {
        LocalDate date = parseDate("date", ctx.pathParam("date"));
        var found = backend()
                .lineage()
                .forecast(
                        ctx.pathParam("dataset"), ctx.pathParam("symbol"), date, blankToNull(ctx.queryParam("model")));
        if (found.isPresent()) {
            ctx.json(found.get());
        } else {
            error(
                    ctx,
                    HttpStatus.NOT_FOUND,
                    "no forecast of " + ctx.pathParam("dataset") + "/" + ctx.pathParam("symbol") + " for " + date
                            + (ctx.queryParam("model") == null ? "" : " by model " + ctx.queryParam("model")));
        }
    }

    private void lineageById(Context ctx) {
        var found = backend().lineage().forecast(ctx.pathParam("id"));
        if (found.isPresent()) {
            ctx.json(found.get());
        } else {
            error(ctx, HttpStatus.NOT_FOUND, "no prediction with id " + ctx.pathParam("id"));
        }
    }

    private void symbols(Context ctx) {
        SinkBackend b = backend();
        String dataset = ctx.pathParam("dataset");
        List<String> list = b.symbols().symbolList(b.session(), dataset);
        if (list.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "dataset '" + dataset + "' has no symbols (nothing stored for it)");
            return;
        }
        ctx.json(Map.of("dataset", dataset, "symbols", list));
    }

    private void upload(Context ctx) {
        ctx.json(backend().lineage().upload(ctx.pathParam("id")));
    }

    /**
     * @param ctx  the request
     * @param name a query parameter
     * @return its trimmed value
     * @throws BadRequest when it is missing or blank
     */
    public static String required(Context ctx, String name) {
        String v = blankToNull(ctx.queryParam(name));
        if (v == null) {
            throw new BadRequest("query parameter '" + name + "' is required");
        }
        return v;
    }

    private static LocalDate date(Context ctx, String name, LocalDate fallback) {
        String v = blankToNull(ctx.queryParam(name));
        return v == null ? fallback : parseDate(name, v);
    }

    private static LocalDate parseDate(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + " '" + value + "' is not a date (yyyy-mm-dd)");
        }
    }

    /**
     * @param v a parameter value
     * @return it trimmed, or null when missing or blank
     */
    public static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * Answers with the API's JSON error.
     *
     * @param ctx     the request
     * @param status  the status
     * @param message what went wrong
     */
    public static void error(Context ctx, HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.getCode());
        body.put("error", message);
        ctx.status(status).json(body);
    }

    /** A signed URL's refusal: {@code {"status": n, "error": code, "message": ..}}. */
    private static void signedError(Context ctx, HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.getCode());
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }

    /** The service cannot answer yet: 503. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message why */
        public Unavailable(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}

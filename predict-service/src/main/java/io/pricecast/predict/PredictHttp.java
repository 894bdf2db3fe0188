package io.pricecast.predict;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.micrometer.core.instrument.Counter;
import io.pricecast.input.Rejection;
import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.input.csv.PriceFileException;
import io.pricecast.input.csv.ReadLimits;
import io.pricecast.input.csv.UnknownLayoutException;
import io.pricecast.model.features.SeriesState;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.runtime.http.HealthRoutes;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.MetricsRoutes;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.metrics.ActiveModelMeter;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.schemas.RejectReason;
import io.pricecast.scorefile.StreamPredictions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predict service's HTTP API. Errors are {@code {"error": code, "message": text}} (plus the refused records where
 * there are some), never a stack trace.
 *
 * <pre>
 * POST /predict[?model=V]       JSON window: {"symbol", "prices": [{date, open, high, low, close, volume, market}, ...]}
 * POST /predict.csv[?model=V][&amp;on_invalid=reject|skip]
 *                               a price file in any layout the test URL takes; answers the predictions CSV
 * GET  /health                  200 once a model is known, 503 before
 * GET  /metrics                 Prometheus text: requests by route and status with latency histograms, the
 *                               answering model, forecasts of /predict.csv, the JVM's and the Kafka consumer's meters
 * </pre>
 *
 * <p>Status codes: 400 invalid input (ingest's reason codes, naming the day, line or field), 404 unknown model version
 * or symbol, 413 body over the limit, 415 wrong content type, 503 before the models topic has been read.
 */
final class PredictHttp implements AutoCloseable {

    static final String PREDICT = "/predict";
    static final String PREDICT_CSV = "/predict.csv";
    /** Content types {@code /predict.csv} reads as the file itself (none at all is taken too, as {@code curl -T} sends). */
    static final Set<String> CSV_TYPES =
            Set.of("text/csv", "text/plain", "application/csv", "application/octet-stream", "application/vnd.ms-excel");

    static final String MULTIPART = "multipart/form-data";
    static final String FILE_PART = "file";

    private static final Logger LOG = LoggerFactory.getLogger(PredictHttp.class);

    private final ModelFollower models;
    private final ServiceMetrics metrics;
    private final Counter csvForecasts;
    private final ActiveModelMeter activeModel;
    private final HttpGuard guard;
    private final long maxCsvBytes;
    private final Path spillDirectory;
    private final String codeVersion;
    private final OpenApi openApi = new OpenApi("openapi/predict.json");
    private final Javalin app;

    /**
     * @param models         the followed registry
     * @param metrics        the process's registry, served on /metrics
     * @param guard          read/write tokens, JSON body limit, error hygiene
     * @param maxCsvBytes    largest {@code /predict.csv} body
     * @param spillDirectory where a large file's sorted runs and the answer wait (deleted after each request)
     * @param codeVersion    this build's version, stamped on every answer
     */
    PredictHttp(
            ModelFollower models,
            ServiceMetrics metrics,
            HttpGuard guard,
            long maxCsvBytes,
            Path spillDirectory,
            String codeVersion) {
        this.models = models;
        this.metrics = metrics;
        this.csvForecasts = Counter.builder("pricecast.predict.csv.forecasts")
                .description("forecasts written by POST /predict.csv")
                .register(metrics.registry());
        this.activeModel = new ActiveModelMeter(metrics.registry());
        this.guard = guard.ownBodyLimit(PREDICT_CSV, maxCsvBytes);
        this.maxCsvBytes = maxCsvBytes;
        this.spillDirectory = spillDirectory;
        this.codeVersion = codeVersion;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            this.guard.configure(config);
            openApi.recordRoutes(config);
            config.jetty.multipartConfig.cacheDirectory(spillDirectory.toString());
            config.jetty.multipartConfig.maxFileSize(maxCsvBytes, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxCsvBytes + (1 << 20), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            RoutesConfig routes = config.routes;
            this.guard.install(routes, PredictHttp::error);
            HealthRoutes.install(routes, this::health);
            MetricsRoutes.install(routes, metrics, () -> models.active().ifPresent(m -> activeModel.set(m.version())));
            routes.post(PREDICT, this::predict);
            routes.post(PREDICT_CSV, this::predictCsv);
            openApi.serve(routes);
            HttpGuard.notFound(
                    routes,
                    PredictHttp::error,
                    " (routes: POST /predict, POST /predict.csv, GET /health, GET /metrics)");
            HttpGuard.methodNotAllowed(routes, PredictHttp::error);
        });
    }

    /** @return the OpenAPI document and the routes registered */
    OpenApi openApi() {
        return openApi;
    }

    /** Starts on {@code port} (0: any free port) and returns the port. */
    int start(int port) {
        app.start(port);
        return app.port();
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<LoadedModel> active = models.active();
        body.put("status", active.isPresent() ? "up" : "starting");
        body.put("model_version", active.map(LoadedModel::version).orElse(null));
        body.put("models_topic_read", models.ready());
        ctx.status(active.isPresent() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(body);
    }

    private void predict(Context ctx) throws IOException {
        if (!mediaType(ctx).equals("application/json")) {
            error(
                    ctx,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "POST /predict takes a JSON body " + "(Content-Type: application/json), not "
                            + describe(ctx.contentType()));
            return;
        }
        Optional<LoadedModel> model = model(ctx);
        if (model.isEmpty()) {
            return;
        }
        WindowRequest request;
        try {
            request = WindowRequest.parse(guard.body(ctx));
        } catch (WindowRequest.Invalid invalid) {
            invalid(ctx, invalid.code(), invalid.getMessage(), invalid.rejections(), byReason(invalid.rejections()));
            return;
        }
        LoadedModel m = model.get();
        Optional<SymbolScaler> scaler = m.bundle().scalers().forSymbol(request.symbol());
        if (scaler.isEmpty()) {
            unknownSymbol(ctx, m, request.symbol());
            return;
        }
        SeriesState state = SeriesState.empty();
        for (int i = 0; i < request.days().size() - 1; i++) {
            state = state.next(request.days().get(i), scaler.get()).state();
        }
        Forecaster.Step step = new Forecaster(m.bundle(), m.network())
                .next(request.symbol(), state, request.base())
                .orElseThrow();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", request.symbol());
        body.put("base_date", step.forecast().basisDate().toString());
        body.put("target_date", step.forecast().targetDate().toString());
        body.put("pred_open", step.forecast().predictedOpen());
        body.put("base_open", request.base().open());
        body.put("model_version", m.version());
        body.put("model_sha256", m.sha256());
        body.put("scaler_sha256", m.bundle().scalersSha256());
        body.put("feature_spec", m.bundle().featureSpecVersion());
        body.put("code_version", codeVersion);
        body.put("days_given", request.given());
        body.put("days_used", request.days().size());
        ctx.json(body);
    }

    private void predictCsv(Context ctx) throws IOException {
        String type = mediaType(ctx);
        boolean multipart = type.equals(MULTIPART);
        if (!type.isEmpty() && !multipart && !CSV_TYPES.contains(type)) {
            error(
                    ctx,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "POST /predict.csv takes a CSV body "
                            + "(Content-Type: text/csv, or multipart/form-data with a part named '" + FILE_PART
                            + "'), not "
                            + describe(ctx.contentType()));
            return;
        }
        String onInvalid = Optional.ofNullable(ctx.queryParam("on_invalid")).orElse("reject");
        if (!onInvalid.equals("reject") && !onInvalid.equals("skip")) {
            error(
                    ctx,
                    HttpStatus.BAD_REQUEST,
                    "bad_parameter",
                    "on_invalid=" + onInvalid + ": expected reject or skip");
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxCsvBytes + (multipart ? 1 << 20 : 0)) {
            tooLarge(ctx, "the body declares " + declared + " bytes");
            return;
        }
        Optional<LoadedModel> model = model(ctx);
        if (model.isEmpty()) {
            return;
        }
        LoadedModel m = model.get();
        Files.createDirectories(spillDirectory);
        Path answer = Files.createTempFile(spillDirectory, "predict-", ".csv");
        try {
            StreamPredictions.Outcome outcome;
            try (InputStream body = bodyOf(ctx, multipart);
                    PriceCsvReader reader =
                            PriceCsvReader.open(new LimitedInputStream(body, maxCsvBytes), ReadLimits.DEFAULTS);
                    BufferedWriter out = Files.newBufferedWriter(answer, StandardCharsets.UTF_8)) {
                outcome = new StreamPredictions(
                                new Forecaster(m.bundle(), m.network()),
                                m.network(),
                                new BatchCleaner(new BatchCleaner.Settings(
                                        BatchCleaner.Settings.DEFAULT_MAX_ROWS_IN_MEMORY, spillDirectory)))
                        .write(reader, out);
            } catch (LimitedInputStream.TooLarge e) {
                tooLarge(ctx, "the body passed the limit");
                return;
            } catch (PriceFileException e) {
                if (passedLimit(e)) {
                    tooLarge(ctx, "the body passed the limit");
                    return;
                }
                error(
                        ctx,
                        HttpStatus.BAD_REQUEST,
                        e instanceof UnknownLayoutException ? "unknown_layout" : "bad_file",
                        e.getMessage());
                return;
            }
            ctx.header("X-Pricecast-Model-Version", m.version());
            ctx.header("X-Pricecast-Model-Sha256", m.sha256());
            ctx.header("X-Pricecast-Records", Long.toString(outcome.records()));
            ctx.header("X-Pricecast-Rejected", Long.toString(outcome.rejectedCount()));
            ctx.header("X-Pricecast-Duplicates", Long.toString(outcome.duplicates()));
            ctx.header("X-Pricecast-Unknown-Symbol-Rows", Long.toString(outcome.unknownSymbolRows()));
            ctx.header("X-Pricecast-Forecasts", Long.toString(outcome.forecasts()));
            if (onInvalid.equals("reject") && outcome.rejectedCount() > 0) {
                invalid(
                        ctx,
                        "invalid_records",
                        outcome.rejectedCount() + " of " + outcome.records()
                                + " records were refused (by reason: " + outcome.rejected()
                                + "); nothing is answered while any is. "
                                + "Fix them, or ask with on_invalid=skip for the forecasts of the others (as the pred URL would "
                                + "give them)",
                        outcome.rejections(),
                        outcome.rejected());
                return;
            }
            if (onInvalid.equals("reject") && !outcome.unknownSymbols().isEmpty()) {
                error(
                        ctx,
                        HttpStatus.NOT_FOUND,
                        RejectReason.UNKNOWN_SYMBOL.code(),
                        "model " + m.version() + " has no scaler for "
                                + outcome.unknownSymbols().keySet() + " (" + outcome.unknownSymbolRows()
                                + " rows); it knows "
                                + known(m) + ". Ask with on_invalid=skip for the forecasts of the others");
                return;
            }
            csvForecasts.increment(outcome.forecasts());
            ctx.status(HttpStatus.OK).contentType("text/csv; charset=utf-8");
            ctx.header("Content-Length", Long.toString(Files.size(answer)));
            try (OutputStream out = ctx.res().getOutputStream()) {
                Files.copy(answer, out);
            }
        } finally {
            Files.deleteIfExists(answer);
        }
    }

    private static boolean passedLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitedInputStream.TooLarge) {
                return true;
            }
        }
        return false;
    }

    private static InputStream bodyOf(Context ctx, boolean multipart) throws IOException {
        if (!multipart) {
            return ctx.req().getInputStream();
        }
        UploadedFile file = ctx.uploadedFile(FILE_PART);
        if (file == null) {
            throw new PriceFileException("a multipart body needs its CSV in a part named '" + FILE_PART + "'");
        }
        return file.content();
    }

    /** The version named by {@code ?model=}, else the active one; answers 503 / 404 itself when there is none. */
    private Optional<LoadedModel> model(Context ctx) {
        if (!models.ready()) {
            ctx.header("Retry-After", "5");
            error(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "no_model",
                    "no model is known yet: the models topic has not been " + "read to its end; retry shortly");
            return Optional.empty();
        }
        String named = ctx.queryParam("model");
        Optional<LoadedModel> model =
                named == null || named.isBlank() ? models.active() : models.version(named.strip());
        if (model.isEmpty()) {
            if (named == null || named.isBlank()) {
                error(
                        ctx,
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "no_model",
                        "the active model cannot be loaded; see the log");
            } else {
                error(
                        ctx,
                        HttpStatus.NOT_FOUND,
                        "unknown_model",
                        "no model version '" + named.strip() + "'; published: " + models.versions());
            }
        }
        return model;
    }

    private static void unknownSymbol(Context ctx, LoadedModel m, String symbol) {
        error(
                ctx,
                HttpStatus.NOT_FOUND,
                RejectReason.UNKNOWN_SYMBOL.code(),
                "model " + m.version() + " has no scaler for symbol '" + symbol + "'; it knows " + known(m));
    }

    /** The model's symbols for a message: the first 20, and how many more. */
    private static String known(LoadedModel m) {
        List<String> symbols = m.bundle().scalers().symbols();
        return symbols.size() <= 20
                ? String.join(", ", symbols)
                : String.join(", ", symbols.subList(0, 20)) + " and " + (symbols.size() - 20) + " more";
    }

    private static Map<String, Long> byReason(List<Rejection> rejections) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        rejections.forEach(r -> counts.merge(r.reason().code(), 1L, Long::sum));
        return counts;
    }

    private static void invalid(
            Context ctx, String code, String message, List<Rejection> rejections, Map<String, Long> byReason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        long count = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (count > 0) {
            body.put("rejected", count);
            body.put("by_reason", new java.util.TreeMap<>(byReason));
            List<Map<String, Object>> listed = new ArrayList<>();
            for (Rejection r : rejections) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("line", r.line());
                one.put("reason", r.reason().code());
                one.put("field", r.field());
                one.put("message", r.message());
                listed.add(one);
            }
            body.put("rejections", listed);
        }
        ctx.status(HttpStatus.BAD_REQUEST).json(body);
    }

    private void tooLarge(Context ctx, String what) {
        error(
                ctx,
                HttpStatus.CONTENT_TOO_LARGE,
                "too_large",
                what + "; the limit of /predict.csv is " + maxCsvBytes + " bytes (" + PredictService.MAX_CSV_MB + ")");
    }

    private static String mediaType(Context ctx) {
        String type = ctx.contentType();
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String describe(String contentType) {
        return contentType == null ? "no Content-Type" : "'" + contentType + "'";
    }

    static void error(Context ctx, HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }

    @Override
    public void close() {
        app.stop();
        LOG.info("predict HTTP stopped");
    }
}

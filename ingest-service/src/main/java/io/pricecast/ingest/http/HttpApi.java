package io.pricecast.ingest.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.upload.UploadId;
import io.pricecast.ingest.upload.UploadRecord;
import io.pricecast.ingest.upload.UploadStatus;
import io.pricecast.ingest.upload.UploadStore;
import io.pricecast.ingest.upload.UploadTooLargeException;
import io.pricecast.ingest.upload.UploadVerdictsView;
import io.pricecast.ingest.upload.Uploads;
import io.pricecast.runtime.http.HealthRoutes;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.MetricsRoutes;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.http.SignedUrls;
import io.pricecast.runtime.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: {@code POST /uploads}, {@code GET /uploads/{id}}, {@code GET /health}, {@code GET /metrics}, and the
 * signed test URL {@code PUT|POST /signed/uploads?dataset=D&expires=E&signature=S} ({@link SignedUrls}), which uploads
 * exactly as {@code POST /uploads?dataset=D} does, its signature standing in for the write token.
 * Every answer is JSON, errors included ({@code {"error": code, "message": ...}}); no stack trace or exception text
 * is ever sent. Tokens for reads and uploads, and the body limit of every other request, are service-runtime's
 * {@link HttpGuard}; the upload body has its own limit ({@code maxUploadBytes}).
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String MULTIPART = "multipart/form-data";
    private static final String FILE_PART = "file";
    private static final int MULTIPART_IN_MEMORY_MB = 1;

    private final Uploads uploads;
    private final HealthChecks health;
    private final BooleanSupplier ready;
    private final IngestMeters metrics;
    private final ServiceMetrics serviceMetrics;
    private final long maxUploadBytes;
    private final Path multipartDirectory;
    private final HttpGuard guard;
    private final OpenApi openApi = new OpenApi("openapi/ingest.json");

    /**
     * @param uploads            the upload front
     * @param health             health checks
     * @param ready              whether start-up finished
     * @param metrics            ingest's meters
     * @param serviceMetrics     the registry served on /metrics
     * @param maxUploadBytes     the upload size limit
     * @param multipartDirectory where multipart bodies are buffered
     * @param guard              tokens, body limits and error hygiene
     */
    public HttpApi(
            Uploads uploads,
            HealthChecks health,
            BooleanSupplier ready,
            IngestMeters metrics,
            ServiceMetrics serviceMetrics,
            long maxUploadBytes,
            Path multipartDirectory,
            HttpGuard guard) {
        this.uploads = uploads;
        this.health = health;
        this.ready = ready;
        this.metrics = metrics;
        this.serviceMetrics = serviceMetrics;
        this.maxUploadBytes = maxUploadBytes;
        this.multipartDirectory = multipartDirectory;
        this.guard = guard.ownBodyLimit("/uploads", maxUploadBytes)
                .ownBodyLimit(SignedUrls.Scope.UPLOAD.path(), maxUploadBytes);
    }

    /** @return the OpenAPI document and the routes registered (once started) */
    public OpenApi openApi() {
        return openApi;
    }

    /**
     * @param port the port (0 for any free one)
     * @return the started server
     */
    public Javalin start(int port) throws IOException {
        Files.createDirectories(multipartDirectory);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = false;
            config.jetty.multipartConfig.cacheDirectory(multipartDirectory.toString());
            config.jetty.multipartConfig.maxFileSize(maxUploadBytes, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(
                    maxUploadBytes + SizeUnit.MB.getMultiplier(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(MULTIPART_IN_MEMORY_MB, SizeUnit.MB);
            guard.configure(config);
            openApi.recordRoutes(config);
            RoutesConfig routes = config.routes;
            guard.install(routes, HttpApi::error);
            routes.post("/uploads", this::postUpload);
            routes.put(SignedUrls.Scope.UPLOAD.path(), this::signedUpload);
            routes.post(SignedUrls.Scope.UPLOAD.path(), this::signedUpload);
            routes.get("/uploads/{id}", this::getUpload);
            HealthRoutes.install(routes, this::getHealth);
            MetricsRoutes.install(routes, serviceMetrics);
            openApi.serve(routes);
            // the rest of the body is read and dropped, or the connection closed, by the guard's after-handler
            routes.exception(
                    UploadTooLargeException.class,
                    (e, ctx) -> error(ctx, HttpStatus.CONTENT_TOO_LARGE, "too_large", e.getMessage()));
            routes.exception(
                    IllegalArgumentException.class,
                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, "bad_request", e.getMessage()));
            HttpGuard.notFound(routes, HttpApi::error, "");
            HttpGuard.methodNotAllowed(routes, HttpApi::error);
        });
        return app.start(port);
    }

    private void postUpload(Context ctx) throws IOException {
        Optional<String> dataset = Optional.ofNullable(ctx.queryParam("dataset"))
                .map(String::strip)
                .filter(d -> !d.isEmpty());
        upload(ctx, dataset);
    }

    /** The signed test URL: PUT (what {@code curl -T} and S3 presigned uploads send) or POST, into the signed dataset. */
    private void signedUpload(Context ctx) throws IOException {
        Optional<String> dataset = guard.signed(ctx, SignedUrls.Scope.UPLOAD, HttpApi::error);
        if (dataset.isPresent()) {
            upload(ctx, dataset);
        }
    }

    /** One CSV upload, the raw body or a multipart part named {@code file}; answered 202 with the upload's id. */
    private void upload(Context ctx, Optional<String> dataset) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes) {
            metrics.upload(IngestMeters.Upload.TOO_LARGE);
            throw new UploadTooLargeException(
                    "the upload declares " + declared + " bytes; the limit is " + maxUploadBytes
                            + " bytes (PRICECAST_INGEST_MAX_UPLOAD_MB)",
                    maxUploadBytes);
        }
        Uploads.Accepted accepted;
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(MULTIPART)) {
            UploadedFile file = multipartFile(ctx);
            if (file == null) {
                throw new IllegalArgumentException(
                        "a multipart upload needs its CSV in a part named '" + FILE_PART + "'");
            }
            try (InputStream in = file.content()) {
                accepted = uploads.accept(dataset, in, file.size());
            }
        } else {
            accepted = uploads.accept(dataset, ctx.req().getInputStream(), declared);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upload_id", accepted.uploadId());
        body.put("dataset", accepted.dataset());
        body.put("status", accepted.status().code());
        body.put("repeat", accepted.repeat());
        body.put("status_url", "/uploads/" + accepted.uploadId());
        ctx.status(HttpStatus.ACCEPTED).json(body);
    }

    /**
     * The multipart part named {@code file}, or null. A body that is not valid multipart (Jetty's parser throws an
     * IOException through Javalin, which does not declare it) is the client's error: 400, not 500.
     */
    private static UploadedFile multipartFile(Context ctx) {
        try {
            return ctx.uploadedFile(FILE_PART);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // where the unreadable body ends is unknown: the connection is not reused (Jetty 12 closes it, and a
            // client that sent its next request on it read no answer)
            ctx.header("Connection", "close");
            throw new IllegalArgumentException("the multipart body cannot be read: " + reason(e), e);
        }
    }

    /**
     * @return the message of the innermost cause, without a status prefix ({@code 400: }): Jetty 12 wraps its parse
     *     errors, and the wrapper's message names the wrapped exception's class, which a client has no use for
     */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "unreadable" : root.getMessage();
        return message.replaceFirst("^\\d{3}: ", "");
    }

    private void getUpload(Context ctx) {
        String id = ctx.pathParam("id");
        if (!UploadId.looksValid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not an upload id (32 lower-case hex characters)");
        }
        Optional<Uploads.View> view = uploads.status(id);
        if (view.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "not_found", "no upload " + id);
            return;
        }
        ctx.json(json(view.get()));
    }

    private void getHealth(Context ctx) {
        Map<String, String> checks = health.run();
        boolean up = ready.getAsBoolean() && checks.values().stream().allMatch(HealthChecks.OK::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("ready", ready.getAsBoolean());
        body.put("checks", checks);
        body.put("uploads_running", uploads.running());
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }

    static Map<String, Object> json(Uploads.View view) {
        UploadRecord r = view.record();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upload_id", r.uploadId());
        body.put("dataset", r.dataset());
        body.put("status", r.status().code());
        body.put("file_sha256", r.fileSha256());
        body.put("file_bytes", r.fileBytes());
        body.put("received_at", text(r.receivedAt()));
        body.put("started_at", text(r.startedAt()));
        body.put("finished_at", text(r.finishedAt()));
        body.put("ingest_version", r.ingestVersion());
        body.put("attempts", r.attempts());
        if (r.error() != null) {
            body.put("error", r.error());
        }
        if (view.running()) {
            body.put("progress", Map.of("records_read", view.read(), "records_published", view.committed()));
        }
        if (r.status() == UploadStatus.PUBLISHED) {
            UploadVerdictsView.Verdicts v = view.verdicts();
            long published = r.accepted();
            long pending = Math.max(0, published - v.judged());
            // an accepted record's forecast comes with its batch, after its verdict: judged waits for both
            long forecastsPending = v.forecastsPending();
            Map<String, Long> rejected = new TreeMap<>(r.rejected());
            v.rejected().forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("total", r.total());
            counts.put("accepted", v.accepted());
            counts.put("duplicates", r.duplicates() + v.duplicates());
            counts.put("rejected", rejected);
            counts.put(
                    "rejected_total",
                    rejected.values().stream().mapToLong(Long::longValue).sum());
            counts.put("pending", pending);
            body.put("counts", counts);
            body.put("judged", pending == 0 && forecastsPending == 0);
            Map<String, Object> ingest = new LinkedHashMap<>();
            ingest.put("published", published);
            ingest.put("duplicates", r.duplicates());
            ingest.put("rejected", r.rejected());
            body.put("ingest", ingest);
            Map<String, Object> verdicts = new LinkedHashMap<>();
            verdicts.put("judged", v.judged());
            verdicts.put("pending", pending);
            verdicts.put("accepted", v.accepted());
            verdicts.put("duplicates", v.duplicates());
            verdicts.put("rejected", v.rejected());
            verdicts.put("forecasts", v.forecasts());
            verdicts.put("not_forecast", v.notForecast());
            verdicts.put("forecasts_pending", forecastsPending);
            body.put("verdicts", verdicts);
            body.put("shared_tickers", r.sharedTickers());
            body.put("rejected_lines", rejections(view.rejections()));
        }
        return body;
    }

    private static List<Map<String, Object>> rejections(List<UploadStore.StoredRejection> stored) {
        return stored.stream()
                .map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("line", s.line());
                    m.put("reason", s.reason());
                    m.put("field", s.field());
                    m.put("message", s.message());
                    m.put("raw", s.raw());
                    return m;
                })
                .toList();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static void error(Context ctx, HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }
}

package io.pricecast.runtime.http;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP hardening every service shares (Javalin): an optional token for reads, an optional token for writes, a
 * size limit on request bodies, and error answers that never carry a stack trace, an exception's text or a secret.
 *
 * <pre>
 * PRICECAST_HTTP_READ_TOKEN[_FILE]   when set, every GET/HEAD except /health[/live|/ready] needs "Authorization: Bearer &lt;it&gt;"
 * PRICECAST_HTTP_WRITE_TOKEN[_FILE]  when set, every other method needs it (services with a token of their own,
 *                                    the models service, check theirs instead)
 * PRICECAST_HTTP_MAX_BODY_KB         largest request body, default 64 (ingest's uploads have their own limit)
 * PRICECAST_URL_SIGNING_KEY[_FILE]   the key of the signed URLs ({@link SignedUrls}): routes under /signed/ are
 *                                    exempt from both tokens and check their signature with {@link #signed}
 * </pre>
 *
 * Use, inside {@code Javalin.create}: {@link #configure(JavalinConfig)}, then {@link #install(RoutesConfig, ErrorWriter)}
 * on {@code config.routes} before the routes; read bodies with {@link #body(Context)}.
 */
public final class HttpGuard {

    public static final String READ_TOKEN = "PRICECAST_HTTP_READ_TOKEN";
    public static final String WRITE_TOKEN = "PRICECAST_HTTP_WRITE_TOKEN";
    public static final String MAX_BODY_KB = "PRICECAST_HTTP_MAX_BODY_KB";
    public static final int DEFAULT_MAX_BODY_KB = 64;

    /**
     * A refused request's body up to this much over its route's limit is read and dropped before the answer: see
     * {@link #discardBody}.
     */
    public static final long DISCARD_MARGIN_BYTES = 1024 * 1024;
    /** Paths open even when reads need a token: the health probes and the OpenAPI document. */
    public static final Set<String> OPEN_PATHS =
            Set.of(HealthRoutes.HEALTH, HealthRoutes.LIVE, HealthRoutes.READY, OpenApi.PATH);
    /**
     * Path prefixes exempt from both tokens because their URL carries its own credential: the signed routes, which
     * verify their signature with {@link #signed} (a path under it that is no signed route is a 404).
     */
    public static final List<String> SIGNED_PATH_PREFIXES = List.of(SignedUrls.PATH_PREFIX);

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);

    /** Writes a service's own JSON error shape. */
    @FunctionalInterface
    public interface ErrorWriter {
        /**
         * @param ctx     the request
         * @param status  the status
         * @param code    a machine-readable code ({@code unauthorized}, {@code too_large}, ...)
         * @param message what went wrong, for people; never an exception's text
         */
        void write(Context ctx, HttpStatus status, String code, String message);
    }

    private final BearerToken readToken;
    private final BearerToken writeToken;
    private final long maxBodyBytes;
    private final List<BearerToken> alsoGrantRead;
    private final Map<String, Long> ownBodyLimits;
    private final boolean writesCheckedHere;
    private final SignedUrls signedUrls;

    private HttpGuard(
            BearerToken readToken,
            BearerToken writeToken,
            long maxBodyBytes,
            List<BearerToken> alsoGrantRead,
            Map<String, Long> ownBodyLimits,
            boolean writesCheckedHere,
            SignedUrls signedUrls) {
        this.signedUrls = signedUrls;
        this.readToken = readToken;
        this.writeToken = writeToken;
        this.maxBodyBytes = maxBodyBytes;
        this.alsoGrantRead = List.copyOf(alsoGrantRead);
        this.ownBodyLimits = Map.copyOf(ownBodyLimits);
        this.writesCheckedHere = writesCheckedHere;
    }

    /**
     * @param env the environment
     * @return the guard it configures
     * @throws IllegalArgumentException naming the variable when the size is not a positive whole number
     */
    public static HttpGuard fromEnvironment(Map<String, String> env) {
        String kb = env.getOrDefault(MAX_BODY_KB, "").trim();
        long limit;
        try {
            limit = kb.isEmpty() ? DEFAULT_MAX_BODY_KB : Long.parseLong(kb);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_BODY_KB + "=" + kb + " is not a whole number", e);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException(MAX_BODY_KB + "=" + kb + " must be positive");
        }
        return new HttpGuard(
                BearerToken.fromEnvironment(env, READ_TOKEN),
                BearerToken.fromEnvironment(env, WRITE_TOKEN),
                limit * 1024,
                List.of(),
                Map.of(),
                true,
                SignedUrls.fromEnvironment(env));
    }

    /** @return this guard, also accepting {@code token} for reads (the models token grants reading too) */
    public HttpGuard readAlsoGrantedBy(BearerToken token) {
        List<BearerToken> more = new ArrayList<>(alsoGrantRead);
        more.add(token);
        return new HttpGuard(readToken, writeToken, maxBodyBytes, more, ownBodyLimits, writesCheckedHere, signedUrls);
    }

    /**
     * @param pathPrefix the routes whose body limit the service checks itself (uploads)
     * @param bytes      that limit, which also bounds what is read of a refused body ({@link #discardBody})
     * @return this guard, leaving the body limit of requests under {@code pathPrefix} to the service
     */
    public HttpGuard ownBodyLimit(String pathPrefix, long bytes) {
        Map<String, Long> more = new HashMap<>(ownBodyLimits);
        more.put(pathPrefix, bytes);
        return new HttpGuard(readToken, writeToken, maxBodyBytes, alsoGrantRead, more, writesCheckedHere, signedUrls);
    }

    /** @return this guard, leaving the authorisation of state-changing requests to the service's own token */
    public HttpGuard writesCheckedByService() {
        return new HttpGuard(readToken, writeToken, maxBodyBytes, alsoGrantRead, ownBodyLimits, false, signedUrls);
    }

    /** @return the body size limit in bytes */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** @return the signer and verifier of signed URLs ({@code PRICECAST_URL_SIGNING_KEY[_FILE]}) */
    public SignedUrls signedUrls() {
        return signedUrls;
    }

    /** @return whether reads need a token */
    public boolean readsProtected() {
        return readToken.configured();
    }

    /** Sets the body limit and replaces Jetty's HTML error pages (which can show stack traces) with JSON. */
    public void configure(JavalinConfig config) {
        config.http.maxRequestSize = maxBodyBytes;
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    }

    /**
     * Installs the checks (a before-handler) and the error mapping: Javalin's own HTTP errors in the service's shape,
     * and any other exception as a 500 that names a reference logged with the exception, not the exception.
     */
    public void install(RoutesConfig routes, ErrorWriter errors) {
        routes.before(ctx -> check(ctx, errors));
        // every refusal, the guard's and the service's own, leaves the body it did not want as discardBody says
        routes.after(ctx -> {
            if (ctx.statusCode() >= 400) {
                discardBody(ctx);
            }
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            errors.write(
                    ctx,
                    status,
                    code(status),
                    status == HttpStatus.CONTENT_TOO_LARGE
                            ? "the request body is larger than " + maxBodyBytes + " bytes (" + MAX_BODY_KB + ")"
                            : status.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String ref = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            LOG.error("{} {} failed (ref {})", ctx.method(), ctx.path(), ref, e);
            errors.write(
                    ctx,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the request failed; the service log has the details under ref " + ref);
        });
    }

    private void check(Context ctx, ErrorWriter errors) {
        String method = ctx.method().name();
        boolean read = READ_METHODS.contains(method);
        // a signed route's signature is its credential, checked by the route itself (signed(...)), never a bearer token
        boolean signedRoute = SIGNED_PATH_PREFIXES.stream().anyMatch(ctx.path()::startsWith);
        if (signedRoute) {
            LOG.trace("{} {}: signed route, no bearer token checked", method, ctx.path());
        } else if (read && readToken.configured() && !OPEN_PATHS.contains(ctx.path())) {
            if (!authorise(ctx, errors, readToken, alsoGrantRead)) {
                return;
            }
        } else if (!read && writesCheckedHere && writeToken.configured()) {
            if (!authorise(ctx, errors, writeToken, List.of())) {
                return;
            }
        }
        if (!read && ownLimit(ctx.path()).isEmpty()) {
            long declared = ctx.req().getContentLengthLong();
            if (declared > maxBodyBytes) {
                throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "too large");
            }
        }
    }

    /**
     * Verifies a signed route's request ({@code dataset}, {@code expires} and {@code signature} parameters) against the
     * current key. When refused it is answered: 403 (malformed, tampered, another dataset's or route's, signed with a
     * rotated key, expired) or 503 (no key), in the service's JSON shape, and logged with method, path, client and the
     * reason code, never the signature.
     *
     * @param ctx    the request
     * @param scope  the route's scope
     * @param errors the service's error writer
     * @return the signed dataset when the request may go on; empty when it has been answered
     */
    public Optional<String> signed(Context ctx, SignedUrls.Scope scope, ErrorWriter errors) {
        SignedUrls.Verdict verdict = signedUrls.verify(
                scope,
                ctx.queryParam(SignedUrls.DATASET_PARAM),
                ctx.queryParam(SignedUrls.EXPIRES_PARAM),
                ctx.queryParam(SignedUrls.SIGNATURE_PARAM),
                Instant.now());
        if (verdict.accepted()) {
            return Optional.of(verdict.dataset());
        }
        LOG.warn("refused signed {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), verdict.code());
        errors.write(ctx, HttpStatus.forStatus(verdict.status()), verdict.code(), verdict.message());
        return Optional.empty();
    }

    /** @return whether the request may go on; when not, it has been answered */
    private boolean authorise(Context ctx, ErrorWriter errors, BearerToken token, List<BearerToken> alternatives) {
        String header = ctx.header("Authorization");
        BearerToken.Result result = token.check(header);
        if (result == BearerToken.Result.ACCEPTED
                || alternatives.stream().anyMatch(t -> t.check(header) == BearerToken.Result.ACCEPTED)) {
            return true;
        }
        switch (result) {
            case NOT_CONFIGURED -> {
                errors.write(
                        ctx,
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "not_configured",
                        "the file named by " + token.variable() + "_FILE holds no token; these requests are refused");
            }
            default -> {
                LOG.warn(
                        "refused {} {} from {}: token {}",
                        ctx.method(),
                        ctx.path(),
                        ctx.ip(),
                        result == BearerToken.Result.MISSING ? "missing" : "wrong or stale");
                ctx.header("WWW-Authenticate", "Bearer");
                errors.write(
                        ctx,
                        HttpStatus.UNAUTHORIZED,
                        "unauthorized",
                        result == BearerToken.Result.MISSING
                                ? "this request needs 'Authorization: Bearer <token>' (" + token.variable() + ")"
                                : "the token is wrong or stale");
            }
        }
        discardBody(ctx); // the after-handler that would is skipped with the rest
        ctx.skipRemainingHandlers();
        return false;
    }

    /** @return the body limit the service checks itself on {@code path}, if it does */
    private Optional<Long> ownLimit(String path) {
        return ownBodyLimits.entrySet().stream()
                .filter(e -> path.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * For a request answered without its body being used: {@link #install} calls it after every answer of 400 or more
     * (the services' own refusals too). HTTP/1.1 cannot refuse a body being sent: a server that closes its connection
     * with unread bytes makes the kernel reset it, and the client, still writing, loses the answer (a broken pipe and
     * no status at all). So the unread rest of a body, up to its route's limit plus {@link #DISCARD_MARGIN_BYTES}, is
     * read and dropped, and the connection stays open for the client's next request: a refused body costs no more than
     * an accepted one. A body declared larger, one whose rest goes on past that bound, or one whose client waits for
     * {@code 100 Continue} before sending it, is not read to its end, and the answer says {@code Connection: close}.
     *
     * @param ctx the request, not yet answered
     */
    private void discardBody(Context ctx) {
        if (READ_METHODS.contains(ctx.method().name())
                || "close".equalsIgnoreCase(ctx.res().getHeader("Connection"))) {
            return; // nothing to read, or already answered with Connection: close (e.g. a body that cannot be parsed)
        }
        long bound = ownLimit(ctx.path()).orElse(maxBodyBytes) + DISCARD_MARGIN_BYTES;
        boolean notRead =
                ctx.req().getContentLengthLong() > bound || "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (notRead || !restEndsWithin(ctx, bound)) {
            ctx.header("Connection", "close");
        }
    }

    /** @return whether the body's unread rest, read and dropped, ended within {@code bound} bytes */
    private static boolean restEndsWithin(Context ctx, long bound) {
        byte[] buffer = new byte[8192];
        long read = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
                if (read > bound) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) { // unreadable, or already taken as a reader
            return false;
        }
    }

    /**
     * @param ctx the request
     * @return its body as UTF-8, read up to the limit whether or not it declares its length
     * @throws HttpResponseException 413 as soon as the body passes the limit (the after-handler of {@link #install}
     *     discards the rest)
     */
    public String body(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = ctx.req().getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (out.size() + n > maxBodyBytes) {
                    throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "too large");
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * For command-line clients: the request builder with {@code Authorization: Bearer <token>} when {@code variable}
     * (or {@code variable_FILE}) holds a token, e.g. {@link #READ_TOKEN} for GETs, {@link #WRITE_TOKEN} for uploads.
     *
     * @param request  the request being built
     * @param env      the environment
     * @param variable the token's variable
     * @return the same builder
     */
    public static java.net.http.HttpRequest.Builder authorize(
            java.net.http.HttpRequest.Builder request, Map<String, String> env, String variable) {
        io.pricecast.runtime.Secrets.read(env, variable)
                .ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    /**
     * Answers a request that no route matched, and that no handler answered itself, with 404 in the service's error
     * shape: {@code no such resource: METHOD path}, then {@code routesHint}.
     *
     * @param routes     the service's routes
     * @param errors     how the service writes an error
     * @param routesHint appended to the message (empty for none)
     */
    public static void notFound(RoutesConfig routes, ErrorWriter errors, String routesHint) {
        routes.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.result() == null) {
                errors.write(
                        ctx,
                        HttpStatus.NOT_FOUND,
                        "not_found",
                        "no such resource: " + ctx.method() + " " + ctx.path() + routesHint);
            }
        });
    }

    /**
     * Answers a request whose path has routes but none for its method with 405, in the service's error shape.
     *
     * @param routes the service's routes
     * @param errors how the service writes an error
     */
    public static void methodNotAllowed(RoutesConfig routes, ErrorWriter errors) {
        routes.error(
                HttpStatus.METHOD_NOT_ALLOWED,
                ctx -> errors.write(
                        ctx,
                        HttpStatus.METHOD_NOT_ALLOWED,
                        "method_not_allowed",
                        ctx.method() + " is not allowed on " + ctx.path()));
    }

    /** @return the error code of a status: its reason phrase in snake case ({@code too_large} for 413) */
    public static String code(HttpStatus status) {
        if (status == HttpStatus.CONTENT_TOO_LARGE) {
            return "too_large";
        }
        return status.getMessage()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
    }

    /** Jetty's own errors (malformed requests, header limits, failures outside Javalin) as JSON, never a stack trace. */
    static final class JsonErrorHandler extends ErrorHandler {

        JsonErrorHandler() {
            setShowStacks(false);
            setShowMessageInTitle(false);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(
                    true, ByteBuffer.wrap(json(response.getStatus()).getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }

        private static String json(int code) {
            HttpStatus status = HttpStatus.forStatus(code);
            return "{\"status\":" + code + ",\"error\":\"" + code(status) + "\"}";
        }
    }
}

package io.pricecast.trainer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pricecast.avro.ModelEvent;
import io.pricecast.runtime.http.BearerToken;
import io.pricecast.runtime.http.HealthRoutes;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.MetricsRoutes;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.registry.RegistryState;
import io.pricecast.trainer.registry.RegistryViews;
import io.pricecast.trainer.schedule.Retraining;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models service's HTTP API. Reading is open unless {@code PRICECAST_HTTP_READ_TOKEN} protects it (the models
 * token is accepted for reads too); every state-changing request needs the token ({@link TokenCheck}): 401 without it or
 * with a wrong or stale one, 503 when no token is configured. Bodies are limited by {@link HttpGuard} (64 KiB by
 * default); errors are {@code {"error": message}} without exception text.
 *
 * <pre>
 * GET  /health/ready, /health        ok once the registry topic is readable; /health/live: the process serves
 * GET  /metrics                      Prometheus text: requests by route and status, the JVM's meters
 * GET  /models                      versions, the active one, the audit trail
 * GET  /models/audit                promotions and rollbacks, oldest first
 * GET  /models/{version}            one version: sha256, training record, hyper-parameters, metrics
 * POST /models/{version}/promote    body {"actor": "...", "reason": "..."}
 * POST /models/rollback             body {"actor": "...", "reason": "...", "to": "version (optional)"}
 * POST /train                       body {"actor": "...", "reason": "..."}: retrain now (202; 409 while one runs)
 * GET  /train                       schedule, next run, the last run's outcome
 * </pre>
 */
public final class ModelsHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;
    private final TokenCheck token;
    private final Retraining retraining;
    private final HttpGuard guard;
    private final OpenApi openApi = new OpenApi("openapi/models.json");
    private final Javalin app;

    /**
     * @param registry   the registry
     * @param token      the token of state-changing requests
     * @param retraining the schedule
     * @param guard      read token, body limit, error hygiene (from the environment)
     * @param metrics    the process's registry, served on /metrics
     */
    public ModelsHttp(
            ModelRegistry registry, TokenCheck token, Retraining retraining, HttpGuard guard, ServiceMetrics metrics) {
        this.registry = registry;
        this.token = token;
        this.retraining = retraining;
        this.guard = guard.writesCheckedByService().readAlsoGrantedBy(token.token());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            this.guard.configure(config);
            openApi.recordRoutes(config);
            RoutesConfig routes = config.routes;
            HttpGuard.ErrorWriter errors = (ctx, status, code, message) -> error(ctx, status, message);
            this.guard.install(routes, errors);
            MetricsRoutes.install(routes, metrics);
            HealthRoutes.install(routes, ctx -> {
                registry.read();
                ctx.json(Map.of("status", "up"));
            });
            routes.get("/models", ctx -> ctx.json(RegistryViews.list(registry.read())));
            routes.get("/models/audit", ctx -> ctx.json(RegistryViews.audit(registry.read())));
            routes.get("/models/{version}", ctx -> {
                RegistryState state = registry.read();
                ctx.json(RegistryViews.show(state, registry.bundle(state, ctx.pathParam("version"))));
            });
            routes.post(
                    "/models/{version}/promote",
                    ctx -> changing(
                            ctx, body -> event(registry.promote(ctx.pathParam("version"), actor(body), reason(body)))));
            routes.post(
                    "/models/rollback",
                    ctx -> changing(
                            ctx,
                            body -> event(registry.rollback(
                                    Optional.ofNullable(text(body, "to")), actor(body), reason(body)))));
            routes.post("/train", ctx -> {
                if (authorised(ctx)) {
                    JsonNode body = body(ctx);
                    if (retraining.requestNow(actor(body), reason(body))) {
                        ctx.status(HttpStatus.ACCEPTED).json(retraining.status());
                    } else {
                        error(ctx, HttpStatus.CONFLICT, "a retraining is already running");
                    }
                }
            });
            routes.get("/train", ctx -> ctx.json(retraining.status()));
            openApi.serve(routes);
            routes.exception(
                    IllegalArgumentException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
            routes.exception(IllegalStateException.class, (e, ctx) -> error(ctx, HttpStatus.CONFLICT, e.getMessage()));
            HttpGuard.notFound(routes, errors, "");
        });
    }

    /** Starts on {@code port} (0: any free port) and returns the port. */
    public int start(int port) {
        app.start(port);
        return app.port();
    }

    private interface Change {
        Map<String, Object> apply(JsonNode body);
    }

    private void changing(Context ctx, Change change) throws IOException {
        if (authorised(ctx)) {
            Map<String, Object> result = change.apply(body(ctx));
            LOG.info("{} {} by {}: {}", ctx.method(), ctx.path(), result.get("actor"), result.get("kind"));
            ctx.json(result);
        }
    }

    private boolean authorised(Context ctx) {
        BearerToken.Result result = token.check(ctx.header("Authorization"));
        switch (result) {
            case ACCEPTED:
                return true;
            case NOT_CONFIGURED:
                error(
                        ctx,
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "no token is configured (" + TokenCheck.FILE_VARIABLE + " or " + TokenCheck.VARIABLE
                                + "); state-changing requests are refused");
                return false;
            default:
                LOG.warn(
                        "refused {} {} from {}: token {}",
                        ctx.method(),
                        ctx.path(),
                        ctx.ip(),
                        result == BearerToken.Result.MISSING ? "missing" : "wrong or stale");
                ctx.header("WWW-Authenticate", "Bearer");
                error(
                        ctx,
                        HttpStatus.UNAUTHORIZED,
                        result == BearerToken.Result.MISSING
                                ? "this request needs 'Authorization: Bearer <token>'"
                                : "the token is wrong or stale");
                return false;
        }
    }

    private JsonNode body(Context ctx) throws IOException {
        String text = guard.body(ctx);
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // the original message only: Jackson's full one quotes the body's source
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw new IllegalArgumentException("the request body is not JSON: " + e.getOriginalMessage() + where);
        }
        if (!body.isObject()) {
            throw new IllegalArgumentException("the request body must be a JSON object, not "
                    + body.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String actor(JsonNode body) {
        String actor = text(body, "actor");
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("the body must name the \"actor\" (who does this)");
        }
        return actor;
    }

    private static String reason(JsonNode body) {
        String reason = text(body, "reason");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("the body must give a \"reason\"");
        }
        return reason;
    }

    static Map<String, Object> event(ModelEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", e.getKind().toString());
        out.put("from", e.getPreviousVersion());
        out.put("to", e.getVersion());
        out.put("sha256", e.getSha256());
        out.put("actor", e.getActor());
        out.put("reason", e.getReason());
        out.put("at", e.getAt().toString());
        return out;
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? status.getMessage() : message));
    }

    @Override
    public void close() {
        app.stop();
    }

    /** @return the OpenAPI document and the routes registered */
    public OpenApi openApi() {
        return openApi;
    }
}

package io.pricecast.runtime.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The health routes every service serves, for the launcher and for an orchestrator's probes:
 *
 * <pre>
 * GET /health/live   200 while the process can still do its work once its dependencies answer; never asks a
 *                    dependency, so a liveness probe does not restart a service during the Kafka or Cassandra outage
 *                    it is built to ride out. 503 only when the process cannot recover by itself (a restart helps).
 * GET /health/ready  the service's readiness: 200 when it can do its job now, 503 and the reason when not
 *                    (starting, a dependency down). Load balancers and ./pricecast status use it.
 * GET /health        the same answer as /health/ready (the one health route of earlier versions)
 * </pre>
 *
 * Kubernetes: {@code livenessProbe} on {@code /health/live}, {@code readinessProbe} on {@code /health/ready}.
 */
public final class HealthRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    /** Answers as {@link #READY}. */
    public static final String HEALTH = "/health";

    private HealthRoutes() {}

    /**
     * Registers the three routes of a service that is live as long as it serves HTTP.
     *
     * @param ready the service's readiness answer
     */
    public static void install(RoutesConfig routes, Handler ready) {
        install(routes, ready, Optional::empty);
    }

    /**
     * Registers the three routes.
     *
     * @param ready the service's readiness answer
     * @param fatal why the process cannot recover without a restart, or empty while it can
     */
    public static void install(RoutesConfig routes, Handler ready, Supplier<Optional<String>> fatal) {
        routes.get(LIVE, ctx -> {
            Optional<String> reason = fatal.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", reason.isEmpty() ? "up" : "down");
            reason.ifPresent(r -> body.put("reason", r));
            ctx.status(reason.isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(body);
        });
        routes.get(READY, ready);
        routes.get(HEALTH, ready);
    }
}

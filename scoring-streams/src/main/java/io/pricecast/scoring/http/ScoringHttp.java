package io.pricecast.scoring.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.pricecast.runtime.http.HealthRoutes;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.MetricsRoutes;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.metrics.ServiceMetrics;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scorer's HTTP face: {@code GET /health/ready} (and {@code /health}; 200 while the Streams application runs, 503
 * otherwise), {@code GET /health/live} (503 only once the application stopped for good) and {@code GET /metrics}
 * (Prometheus text: every Kafka Streams metric with its tags, the application's own meters, the JVM's). With
 * {@code PRICECAST_HTTP_READ_TOKEN} set, {@code /metrics} needs it ({@link HttpGuard}); errors are JSON without exception text.
 */
public final class ScoringHttp implements AutoCloseable {

    private final OpenApi openApi = new OpenApi("openapi/scoring.json");
    private final Javalin app;

    /**
     * @param streams  the application
     * @param healthy  whether it is healthy now
     * @param metrics  the process's registry
     * @param guard    read token, body limit, error hygiene
     */
    public ScoringHttp(KafkaStreams streams, BooleanSupplier healthy, ServiceMetrics metrics, HttpGuard guard) {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            guard.configure(c);
            openApi.recordRoutes(c);
            RoutesConfig routes = c.routes;
            guard.install(
                    routes,
                    (ctx, status, code, message) -> ctx.status(status).json(Map.of("error", code, "message", message)));
            HealthRoutes.install(
                    routes,
                    ctx -> {
                        boolean ok = healthy.getAsBoolean();
                        ctx.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                                .json(Map.of(
                                        "status",
                                        ok ? "UP" : "DOWN",
                                        "streams",
                                        streams.state().name()));
                    },
                    () -> dead(streams.state()));
            MetricsRoutes.install(routes, metrics);
            openApi.serve(routes);
        });
    }

    /** @return the OpenAPI document and the routes registered */
    public OpenApi openApi() {
        return openApi;
    }

    /** The application has stopped for good after a failure: only a restart of the process scores again. */
    static Optional<String> dead(KafkaStreams.State state) {
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                ? Optional.of("Kafka Streams is in state " + state + " after a failure")
                : Optional.empty();
    }

    /** Starts listening; port 0 picks a free port. */
    public ScoringHttp start(int port) {
        app.start(port);
        return this;
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

package io.pricecast.scoring.http;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.scoring.metrics.ScoringCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scorer's HTTP face: {@code GET /health} (200 while the Streams application runs, 503 otherwise) and
 * {@code GET /metrics} (JSON: the picked Streams metrics and the application's own counters). With
 * {@code PRICECAST_HTTP_READ_TOKEN} set, {@code /metrics} needs it ({@link HttpGuard}); errors are JSON without exception text.
 */
public final class ScoringHttp implements AutoCloseable {

    private final Javalin app;

    /**
     * @param streams  the application
     * @param healthy  whether it is healthy now
     * @param counters the application's counters
     * @param guard    read token, body limit, error hygiene
     */
    public ScoringHttp(KafkaStreams streams, BooleanSupplier healthy, ScoringCounters counters, HttpGuard guard) {
        StreamsMetricsView streamsMetrics = new StreamsMetricsView(streams::metrics, System::nanoTime);
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            guard.configure(c);
        });
        guard.install(
                app,
                (ctx, status, code, message) -> ctx.status(status).json(Map.of("error", code, "message", message)));
        app.get("/health", ctx -> {
            boolean ok = healthy.getAsBoolean();
            ctx.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of(
                            "status",
                            ok ? "UP" : "DOWN",
                            "streams",
                            streams.state().name()));
        });
        app.get("/metrics", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", streams.state().name());
            body.put("streams", streamsMetrics.current());
            body.put("scoring", counters.snapshot());
            ctx.json(body);
        });
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

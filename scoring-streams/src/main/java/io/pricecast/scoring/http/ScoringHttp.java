package io.pricecast.scoring.http;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.pricecast.scoring.metrics.ScoringCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scorer's HTTP face: {@code GET /health} (200 while the Streams application runs, 503 otherwise) and
 * {@code GET /metrics} (JSON: the picked Streams metrics and the application's own counters).
 */
public final class ScoringHttp implements AutoCloseable {

    private final Javalin app;

    /**
     * @param streams  the application
     * @param healthy  whether it is healthy now
     * @param counters the application's counters
     */
    public ScoringHttp(KafkaStreams streams, BooleanSupplier healthy, ScoringCounters counters) {
        app = Javalin.create(c -> c.showJavalinBanner = false)
                .get("/health", ctx -> {
                    boolean ok = healthy.getAsBoolean();
                    ctx.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                            .json(Map.of("status", ok ? "UP" : "DOWN", "streams", streams.state().name()));
                })
                .get("/metrics", ctx -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("state", streams.state().name());
                    body.put("streams", StreamsMetricsView.of(streams.metrics()));
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

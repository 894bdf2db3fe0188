package io.pricecast.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness apart: a dependency outage makes a service unready but leaves it live; only a failure the
 * process cannot recover from makes it not live; the three routes stay open under a read token.
 */
class HealthRoutesTest {

    private static final String READ_TOKEN = "read-s3cret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicReference<String> notReadyBecause = new AtomicReference<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private Javalin app;
    private String base;

    @BeforeEach
    void start() {
        HttpGuard guard = HttpGuard.fromEnvironment(Map.of(HttpGuard.READ_TOKEN, READ_TOKEN));
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            guard.configure(config);
            RoutesConfig routes = config.routes;
            guard.install(
                    routes, (ctx, status, code, message) -> ctx.status(status).json(Map.of("error", code)));
            HealthRoutes.install(
                    routes,
                    ctx -> {
                        String reason = notReadyBecause.get();
                        ctx.status(reason == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                                .json(
                                        reason == null
                                                ? Map.of("status", "up")
                                                : Map.of("status", "down", "reason", reason));
                    },
                    () -> Optional.ofNullable(fatal.get()));
            routes.get("/data", ctx -> ctx.json(Map.of("rows", 1)));
        });
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void aDependencyOutageMakesTheServiceUnreadyButLeavesItLive() throws Exception {
        assertThat(status(HealthRoutes.READY)).isEqualTo(200);
        assertThat(status(HealthRoutes.HEALTH)).isEqualTo(200);
        assertThat(get(HealthRoutes.LIVE).body()).isEqualTo("{\"status\":\"up\"}");

        notReadyBecause.set("cassandra: connection refused");
        HttpResponse<String> ready = get(HealthRoutes.READY);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("cassandra: connection refused");
        assertThat(status(HealthRoutes.HEALTH))
                .as("/health answers as readiness")
                .isEqualTo(503);
        assertThat(status(HealthRoutes.LIVE)).as("live through the outage").isEqualTo(200);
    }

    @Test
    void onlyAFailureTheProcessCannotRecoverFromMakesItNotLive() throws Exception {
        fatal.set("Kafka Streams is in state ERROR after a failure");
        HttpResponse<String> live = get(HealthRoutes.LIVE);
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body())
                .isEqualTo("{\"status\":\"down\",\"reason\":\"Kafka Streams is in state ERROR after a failure\"}");
    }

    @Test
    void theHealthRoutesAreOpenWhereOtherReadsNeedTheToken() throws Exception {
        assertThat(status("/data")).isEqualTo(401);
        for (String path : new String[] {HealthRoutes.LIVE, HealthRoutes.READY, HealthRoutes.HEALTH}) {
            assertThat(status(path)).as(path).isEqualTo(200);
        }
    }

    private int status(String path) throws IOException, InterruptedException {
        return get(path).statusCode();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.pricecast.runtime.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.pricecast.runtime.metrics.ServiceMetrics;
import java.util.HashSet;
import java.util.List;

/**
 * {@code GET /metrics} in Prometheus' text format ({@code ?name[]=a&name[]=b} narrows it to those samples), and a
 * timer of every HTTP request a service answers:
 * {@code pricecast_http_server_requests_seconds{method, route, status}} (a histogram, so that a dashboard can show p99),
 * where {@code route} is the matched route's template ({@code /uploads/{id}}), never the raw path, so its values stay few.
 */
public final class MetricsRoutes {

    public static final String METRICS = "/metrics";
    /** The query parameter that narrows a scrape to the named samples, repeated: Prometheus' own {@code name[]}. */
    public static final String NAME_FILTER = "name[]";
    /** The request timer's name. */
    public static final String REQUESTS = "pricecast.http.server.requests";

    private static final String STARTED = "pricecast.request-started-nanos";

    private MetricsRoutes() {}

    /** Registers {@code /metrics} and the request timer on {@code routes}. */
    public static void install(RoutesConfig routes, ServiceMetrics metrics) {
        install(routes, metrics, () -> {});
    }

    /**
     * Registers {@code /metrics} and the request timer on {@code routes}.
     *
     * @param beforeScrape brings meters up to date that are not updated where their value changes
     */
    public static void install(RoutesConfig routes, ServiceMetrics metrics, Runnable beforeScrape) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(ctx -> record(ctx, metrics));
        routes.get(METRICS, ctx -> {
            beforeScrape.run();
            List<String> names = ctx.queryParams(NAME_FILTER);
            ctx.contentType(ServiceMetrics.CONTENT_TYPE)
                    .result(names.isEmpty() ? metrics.scrape() : metrics.scrape(new HashSet<>(names)));
        });
    }

    private static void record(Context ctx, ServiceMetrics metrics) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        // null when no route matched (a 404)
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? null : matched.path;
        Timer.builder(REQUESTS)
                .description("HTTP requests answered, by method, matched route and status")
                .tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(metrics.registry())
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}

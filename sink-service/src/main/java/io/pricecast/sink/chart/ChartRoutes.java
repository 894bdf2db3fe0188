package io.pricecast.sink.chart;

import static io.pricecast.sink.http.SinkHttp.blankToNull;
import static io.pricecast.sink.http.SinkHttp.required;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pricecast.schemas.AccuracyWindows;
import io.pricecast.sink.accuracy.AccuracyQueries;
import io.pricecast.sink.accuracy.AccuracyRow;
import io.pricecast.sink.export.ExportRequest;
import io.pricecast.sink.export.PredictionsCsvExport.SeriesRow;
import io.pricecast.sink.http.BadRequest;
import io.pricecast.sink.http.SinkHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The chart page ({@code /chart}) and the JSON it reads, plus the accuracy API ({@code /accuracy}).
 * The series points are the predictions CSV's own rows ({@code PredictionsCsvExport.series}), so the
 * page shows exactly what the pred URL exports.
 */
public final class ChartRoutes {

    /** Where the page names the chart library; filled in with the path into the WebJar on the classpath. */
    static final String ECHARTS_PLACEHOLDER = "${echarts.js}";

    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
    private static final String PAGE_RESOURCES = "chart-page/";
    private static final int DEFAULT_SYMBOLS = 50;

    private final Supplier<ChartBackend> backend;
    private final byte[] indexHtml;

    /** @param backend the backend, null until Cassandra is connected */
    public ChartRoutes(Supplier<ChartBackend> backend) {
        this.backend = backend;
        this.indexHtml = new String(resource(PAGE_RESOURCES + "index.html"), StandardCharsets.UTF_8)
                .replace(ECHARTS_PLACEHOLDER, echartsPath())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** @return the path Javalin serves the ECharts WebJar's script at (its version read from the jar) */
    static String echartsPath() {
        Properties pom = new Properties();
        try {
            pom.load(new java.io.ByteArrayInputStream(resource(ECHARTS_POM)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/webjars/echarts/" + pom.getProperty("version") + "/dist/echarts.min.js";
    }

    /** @param routes the sink's routes (its configuration enables WebJars) */
    public void register(RoutesConfig routes) {
        routes.get("/chart", ctx -> ctx.contentType("text/html; charset=utf-8").result(indexHtml));
        routes.get("/chart/chart.js", ctx -> page(ctx, "chart.js", "text/javascript; charset=utf-8"));
        routes.get("/chart/chart.css", ctx -> page(ctx, "chart.css", "text/css; charset=utf-8"));
        routes.get(
                "/chart/api/datasets",
                ctx -> ctx.json(Map.of("datasets", backend().pickers().datasets())));
        routes.get("/chart/api/symbols", this::symbols);
        routes.get("/chart/api/series", this::series);
        routes.get("/accuracy", this::accuracyTable);
        routes.get("/accuracy/{dataset}/{symbol}", this::accuracyOfSeries);
    }

    private ChartBackend backend() {
        ChartBackend b = backend.get();
        if (b == null) {
            throw new SinkHttp.Unavailable("starting: not connected to Cassandra yet");
        }
        return b;
    }

    private static void page(Context ctx, String file, String type) {
        ctx.contentType(type).result(resource(PAGE_RESOURCES + file));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ChartRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void symbols(Context ctx) {
        String dataset = required(ctx, "dataset");
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").trim();
        int limit = intParam(ctx, "limit", DEFAULT_SYMBOLS);
        List<String> found = backend().pickers().symbols(dataset, q, limit + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataset", dataset);
        body.put("q", q);
        body.put("symbols", found.subList(0, Math.min(limit, found.size())));
        body.put("more", found.size() > limit);
        ctx.json(body);
    }

    private void series(Context ctx) throws IOException {
        String dataset = required(ctx, "dataset");
        String symbol = required(ctx, "symbol");
        String model = blankToNull(ctx.queryParam("model"));
        List<Map<String, Object>> points = new ArrayList<>();
        double[] sum = {0};
        int[] scored = {0};
        backend()
                .export()
                .series(
                        new ExportRequest(
                                dataset, List.of(symbol), ExportRequest.MIN_DATE, ExportRequest.MAX_DATE, model),
                        symbol,
                        (SeriesRow row) -> {
                            Map<String, Object> p = new LinkedHashMap<>();
                            p.put("date", row.date().toString());
                            p.put("pred_open", row.predOpen());
                            p.put("val_open", row.valOpen());
                            p.put("model_version", row.modelVersion());
                            points.add(p);
                            if (row.valOpen() != null) {
                                sum[0] += Math.abs(row.predOpen() - row.valOpen());
                                scored[0]++;
                            }
                        });
        if (points.isEmpty()) {
            SinkHttp.error(
                    ctx,
                    HttpStatus.NOT_FOUND,
                    "no forecasts of " + dataset + "/" + symbol + (model == null ? "" : " by model " + model));
            return;
        }
        Map<String, Object> last = points.get(points.size() - 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataset", dataset);
        body.put("symbol", symbol);
        body.put("model", model);
        body.put("points", points);
        body.put("scored", scored[0]);
        body.put("mad", scored[0] == 0 ? null : sum[0] / scored[0]);
        body.put("tomorrow", last.get("val_open") == null ? last : null);
        ctx.json(body);
    }

    private void accuracyTable(Context ctx) {
        AccuracyQueries q = backend().accuracy();
        String dataset = blankToNull(ctx.queryParam("dataset"));
        String model = blankToNull(ctx.queryParam("model"));
        boolean onlyFlagged = Boolean.parseBoolean(ctx.queryParam("flagged"));
        List<String> datasets = dataset == null ? q.datasets() : List.of(dataset);
        List<Map<String, Object>> rows = new ArrayList<>();
        int flagged = 0;
        int series = 0;
        for (String d : datasets) {
            for (AccuracyRow a : q.table(d, model)) {
                series++;
                if (a.flagged()) {
                    flagged++;
                }
                if (!onlyFlagged || a.flagged()) {
                    rows.add(AccuracyQueries.json(a));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasets", datasets);
        body.put("model", model);
        body.put("windows_days", List.of(AccuracyWindows.SHORT_DAYS, AccuracyWindows.LONG_DAYS));
        body.put("series", series);
        body.put("flagged", flagged);
        body.put("rows", rows);
        ctx.json(body);
    }

    private void accuracyOfSeries(Context ctx) {
        String dataset = ctx.pathParam("dataset");
        String symbol = ctx.pathParam("symbol");
        List<Map<String, Object>> rows = backend().accuracy().series(dataset, symbol).stream()
                .map(AccuracyQueries::json)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataset", dataset);
        body.put("symbol", symbol);
        body.put("rows", rows);
        ctx.json(body);
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String v = blankToNull(ctx.queryParam(name));
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " '" + v + "' is not a positive whole number");
        }
    }
}

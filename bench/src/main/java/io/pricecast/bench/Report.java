package io.pricecast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns the runs into {@code report.json}, {@code report.md} and the PNG plots: every figure the median
 * of its runs with their min and max; ratios are taken per run (pipeline and baseline measured minutes
 * apart in the same run), then their median.
 */
final class Report {

    static final String JSON_FILE = "report.json";
    static final String MARKDOWN_FILE = "report.md";
    /** The keys report.json carries at its top level (each the median of the main point's runs). */
    static final List<String> HEADLINE = List.of(
            "daily_close_seconds",
            "daily_close_ratio_to_floor",
            "backfill_records_per_second",
            "backfill_ratio_to_raw_inserts",
            "cassandra_cpu_seconds_per_1000_forecasts",
            "cassandra_cpu_ratio_to_floor",
            "turnaround_seconds_10k_rows",
            "floor_seconds",
            "scoring_ratio_to_raw_pipe",
            "sink_ratio_to_raw_inserts",
            "ingest_ratio_to_raw_producer",
            "scoring_ratio_to_forward");
    /** The predict section's keys at report.json's top level (each the median of the section's runs). */
    static final List<String> PREDICT_HEADLINE = List.of(
            "predict_p99_ms_single",
            "predict_requests_per_second",
            "predict_health_requests_per_second",
            "predict_ratio_to_health",
            "predict_requests_per_second_2_replicas",
            "predict_scaling_2_vs_1",
            "predict_csv_rows_per_second",
            "predict_csv_rows_per_second_auto");

    private static final double SERVICE_HEAP_TARGET_MB = 512;
    private static final double PREDICT_P99_TARGET_MS = 5;
    private static final double PREDICT_RATIO_TARGET = 0.5;

    private final ScalePoint main;
    private final List<RunResult> runs;
    private final Map<String, Object> context;
    private final PredictBench.Summary predict;
    private final Map<String, Figure> figures = new LinkedHashMap<>();

    /**
     * @param main    the point whose runs give the headline figures
     * @param runs    every run of every point
     * @param context machine, versions, config, load: written as they are
     */
    Report(ScalePoint main, List<RunResult> runs, Map<String, Object> context) {
        this(main, runs, null, context);
    }

    /**
     * @param main    the point whose runs give the headline figures
     * @param runs    every run of every point (none when only the predict section ran)
     * @param predict the predict section's runs and method, null when it did not run
     * @param context machine, versions, config, load: written as they are
     */
    Report(ScalePoint main, List<RunResult> runs, PredictBench.Summary predict, Map<String, Object> context) {
        this.main = main;
        this.runs = List.copyOf(runs);
        this.context = context;
        this.predict = predict;
        if (!of(main).isEmpty()) {
            pipelineFigures(of(main));
        }
        if (hasPredict()) {
            List<PredictBench.Run> p = predict.runs();
            putPredict("predict_p99_ms_single", "ms", p, PredictBench.Run::p99SingleMs);
            putPredict("predict_p50_ms_single", "ms", p, r -> r.single().p50Ms());
            putPredict(
                    "predict_requests_per_second_single",
                    "requests/s",
                    p,
                    r -> r.single().requestsPerSecond());
            putPredict("predict_requests_per_second", "requests/s", p, PredictBench.Run::requestsPerSecond);
            putPredict("predict_p99_ms_16_clients", "ms", p, r -> r.loaded().p99Ms());
            putPredict(
                    "predict_health_requests_per_second", "requests/s", p, PredictBench.Run::healthRequestsPerSecond);
            putPredict("predict_ratio_to_health", "ratio", p, PredictBench.Run::ratioToHealth);
            putPredict(
                    "predict_requests_per_second_2_replicas",
                    "requests/s",
                    p,
                    PredictBench.Run::requestsPerSecond2Replicas);
            putPredict("predict_scaling_2_vs_1", "ratio", p, PredictBench.Run::scaling2vs1);
            putPredict("predict_cpu_busy_without_load", "share of all cores", p, PredictBench.Run::cpuBusyIdle);
            putPredict("predict_cpu_busy_1_replica", "share of all cores", p, PredictBench.Run::cpuBusy1);
            putPredict("predict_cpu_busy_2_replicas", "share of all cores", p, PredictBench.Run::cpuBusy2);
            putPredict("predict_csv_seconds", "s", p, r -> r.csv().seconds());
            putPredict("predict_csv_rows_per_second", "rows/s", p, PredictBench.Run::csvRowsPerSecond);
            putPredict(
                    "predict_csv_rows_per_second_auto",
                    "rows/s",
                    p.stream().filter(r -> r.csvAuto() != null).toList(),
                    PredictBench.Run::csvAutoRowsPerSecond);
        }
    }

    /** @return whether the predict section ran at least once */
    boolean hasPredict() {
        return predict != null && !predict.runs().isEmpty();
    }

    /** @return whether the pipeline section ran at least once */
    boolean hasPipeline() {
        return !of(main).isEmpty();
    }

    private void putPredict(
            String name, String unit, List<PredictBench.Run> from, ToDoubleFunction<PredictBench.Run> f) {
        figures.put(
                name,
                new Figure(unit, from.stream().map(r -> f.applyAsDouble(r)).toList()));
    }

    private void pipelineFigures(List<RunResult> m) {
        put("daily_close_seconds", "s", m, r -> r.close().totalSeconds());
        put("daily_close_p50_ms", "ms", m, r -> r.close().p50Ms());
        put("daily_close_p99_ms", "ms", m, r -> r.close().p99Ms());
        put("daily_close_max_ms", "ms", m, r -> r.close().maxMs());
        put("daily_close_ingest_seconds", "s", m, r -> r.close().ingestSeconds());
        put("daily_close_scored_seconds", "s", m, r -> r.close().scoredSeconds());
        put("daily_close_cpu_seconds", "CPU s", m, r -> r.close().cpuSeconds());
        put("daily_close_cpu_bound_seconds", "s", m, r -> r.close().cpuSeconds() / RunResult.CORES);
        put("backfill_records_per_second", "records/s", m, r -> r.backfill().endToEnd());
        put("backfill_seconds", "s", m, r -> r.backfill().seconds());
        put("ingest_records_per_second", "records/s", m, r -> r.backfill().ingest());
        put("scoring_records_per_second", "records/s", m, r -> r.backfill().scoring());
        put("sink_predictions_per_second", "forecasts/s", m, r -> r.backfill().sink());
        put(
                "scoring_pipelined_records_per_second",
                "records/s",
                m,
                r -> r.backfill().scoringPipelined());
        put(
                "sink_pipelined_predictions_per_second",
                "forecasts/s",
                m,
                r -> r.backfill().sinkPipelined());
        List<RunResult> raw = m.stream().filter(r -> r.baselines() != null).toList();
        put(
                "raw_producer_records_per_second",
                "records/s",
                raw,
                r -> r.baselines().producer());
        put("raw_pipe_records_per_second", "records/s", raw, r -> r.baselines().pipe());
        put(
                "raw_inserts_predictions_per_second",
                "forecasts/s",
                raw,
                r -> r.baselines().inserts());
        put("forward_windows_per_second", "windows/s", raw, r -> r.baselines().forward());
        put(
                "ingest_ratio_to_raw_producer",
                "ratio",
                raw,
                r -> r.backfill().ingest() / r.baselines().producer());
        put(
                "scoring_ratio_to_raw_pipe",
                "ratio",
                raw,
                r -> r.backfill().scoring() / r.baselines().pipe());
        put(
                "sink_ratio_to_raw_inserts",
                "ratio",
                raw,
                r -> r.backfill().sink() / r.baselines().inserts());
        put(
                "scoring_ratio_to_forward",
                "ratio",
                raw,
                r -> r.backfill().scoring() / r.baselines().forward());
        put("floor_seconds", "s", raw, r -> r.baselines().floor().seconds());
        put("floor_insert_seconds", "s", raw, r -> r.baselines().floor().insertSeconds());
        put("floor_produce_seconds", "s", raw, r -> r.baselines().floor().produceSeconds());
        put("floor_rows_per_second", "rows/s", raw, r -> r.baselines().floor().rowsPerSecond());
        put(
                "floor_cassandra_cpu_seconds_per_1000_requests",
                "CPU s",
                raw,
                r -> r.baselines().floor().cpuSecondsPer1000Requests());
        put(
                "daily_close_ratio_to_floor",
                "ratio",
                raw,
                r -> r.close().totalSeconds() / r.baselines().floor().seconds());
        put(
                "backfill_ratio_to_raw_inserts",
                "ratio",
                raw,
                r -> r.backfill().endToEnd() / (r.baselines().floor().rowsPerSecond() / 2));
        put("cassandra_cpu_seconds_per_1000_forecasts", "CPU s", m, RunResult::cassandraCpuPer1000);
        put(
                "cassandra_cpu_ratio_to_floor",
                "ratio",
                raw,
                r -> r.cassandraCpuPer1000() / r.baselines().floor().cpuSecondsPer1000Requests());
        put("turnaround_seconds_10k_rows", "s", raw, RunResult::turnaroundSeconds);
        put("turnaround_ingest_seconds", "s", raw, r -> r.turnaround().ingestSeconds());
        put("turnaround_scored_seconds", "s", raw, r -> r.turnaround().scoredSeconds());
        put("turnaround_cpu_seconds", "CPU s", raw, RunResult::turnaroundCpuSeconds);
        put("turnaround_cpu_bound_seconds", "s", raw, r -> r.turnaroundCpuSeconds() / RunResult.CORES);
    }

    private void put(String name, String unit, List<RunResult> from, ToDoubleFunction<RunResult> f) {
        figures.put(
                name,
                new Figure(unit, from.stream().map(r -> f.applyAsDouble(r)).toList()));
    }

    /** @return the headline figures of the main point and of the predict section, by report.json name */
    Map<String, Figure> figures() {
        return figures;
    }

    private List<RunResult> of(ScalePoint point) {
        return runs.stream().filter(r -> r.point().equals(point)).toList();
    }

    private List<ScalePoint> points() {
        return runs.stream()
                .map(RunResult::point)
                .distinct()
                .sorted(java.util.Comparator.comparingInt(ScalePoint::symbols))
                .toList();
    }

    /** Per component: the figure of {@code values(run).get(component)} over the runs. */
    private static Map<String, Figure> perComponent(
            List<RunResult> runs, String unit, java.util.function.Function<RunResult, Map<String, Double>> values) {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        for (RunResult r : runs) {
            values.apply(r)
                    .forEach((c, v) ->
                            by.computeIfAbsent(c, k -> new ArrayList<>()).add(v));
        }
        Map<String, Figure> result = new LinkedHashMap<>();
        by.forEach((c, v) -> result.put(c, new Figure(unit, v)));
        return result;
    }

    private static Map<String, Double> cpuPer1000(RunResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : r.cpuSeconds().entrySet()) {
            double v = e.getValue() * 1000 / r.predictions();
            m.put(e.getKey(), v);
            total += v;
        }
        m.put("total", total);
        return m;
    }

    /** Writes report.json, report.md and the plots into {@code dir}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<RunResult> m = of(main);
        Map<String, Figure> heap = perComponent(m, "MB", RunResult::heapMb);
        Map<String, Figure> rss = perComponent(m, "MB", RunResult::rssMb);
        Map<String, Figure> cpu = perComponent(m, "CPU s per 1,000 forecasts", Report::cpuPer1000);
        List<Target> targets = new ArrayList<>();
        if (hasPipeline()) {
            targets.addAll(targets(heap));
        }
        if (hasPredict()) {
            targets.addAll(predictTargets());
        }

        Map<String, Object> json = new LinkedHashMap<>();
        if (hasPipeline()) {
            for (String headline : HEADLINE) {
                json.put(headline, figures.get(headline).median());
            }
        }
        if (hasPredict()) {
            for (String headline : PREDICT_HEADLINE) {
                json.put(headline, figures.get(headline).median());
            }
        }
        json.put("sections", sections());
        if (hasPipeline()) {
            json.put("heap_mb", medians(heap));
            json.put("rss_mb", medians(rss));
            json.put("cpu_seconds_per_1000_predictions", medians(cpu));
            json.put("main_point", Map.of("symbols", main.symbols(), "days", main.days(), "runs", m.size()));
        }
        Map<String, Object> figs = new LinkedHashMap<>();
        figures.forEach((k, f) -> figs.put(k, figureJson(f)));
        json.put("figures", figs);
        if (predict != null) {
            json.put("predict", predictJson());
        }
        List<Map<String, Object>> scaling = new ArrayList<>();
        for (ScalePoint p : points()) {
            List<RunResult> pr = of(p);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("symbols", p.symbols());
            s.put("days", p.days());
            s.put("records", p.records());
            s.put("runs", pr.size());
            s.put(
                    "backfill_records_per_second",
                    figureJson(figure("records/s", pr, r -> r.backfill().endToEnd())));
            s.put(
                    "daily_close_seconds",
                    figureJson(figure("s", pr, r -> r.close().totalSeconds())));
            s.put(
                    "daily_close_p50_ms",
                    figureJson(figure("ms", pr, r -> r.close().p50Ms())));
            s.put(
                    "daily_close_p99_ms",
                    figureJson(figure("ms", pr, r -> r.close().p99Ms())));
            s.put("heap_mb", medians(perComponent(pr, "MB", RunResult::heapMb)));
            s.put("rss_mb", medians(perComponent(pr, "MB", RunResult::rssMb)));
            s.put("cpu_seconds_per_1000_predictions", medians(perComponent(pr, "s", Report::cpuPer1000)));
            scaling.add(s);
        }
        json.put("scaling", scaling);
        json.put("targets", targets);
        json.putAll(context);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(JSON_FILE).toFile(), json);

        if (hasPipeline()) {
            plots(dir, heap, rss, cpu);
        }
        Files.writeString(dir.resolve(MARKDOWN_FILE), markdown(heap, rss, cpu, targets));
    }

    private List<String> sections() {
        List<String> s = new ArrayList<>();
        if (hasPipeline()) {
            s.add("pipeline");
        }
        if (hasPredict()) {
            s.add("predict");
        }
        return s;
    }

    /** The predict section's method and every run's raw wrk figures. */
    private Map<String, Object> predictJson() {
        Map<String, Object> p = new LinkedHashMap<>(predict.details());
        p.put("runs_done", predict.runs().size());
        p.put("scaling_note", scalingNote());
        List<Map<String, Object>> runsJson = new ArrayList<>();
        for (PredictBench.Run r : predict.runs()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("run", r.run());
            one.put("single", r.single().json());
            one.put("loaded", r.loaded().json());
            one.put("health", r.health().json());
            one.put("replica_1_of_2", r.replicaA().json());
            one.put("replica_2_of_2", r.replicaB().json());
            one.put("cpu_busy_without_load", r.cpuBusyIdle());
            one.put("cpu_busy_1_replica", r.cpuBusy1());
            one.put("cpu_busy_2_replicas", r.cpuBusy2());
            one.put("csv", r.csv().json());
            one.put("csv_auto", r.csvAuto() == null ? null : r.csvAuto().json());
            runsJson.add(one);
        }
        p.put("runs", runsJson);
        return p;
    }

    /** Why 2 replicas on one machine do (or do not) serve more than one, with this run's figures. */
    private String scalingNote() {
        if (!hasPredict()) {
            return null;
        }
        double scaling = figures.get("predict_scaling_2_vs_1").median();
        double busy1 = figures.get("predict_cpu_busy_1_replica").median();
        double busy2 = figures.get("predict_cpu_busy_2_replicas").median();
        return String.format(
                Locale.ROOT,
                "2 replicas served %s x what one did under the same load (16 connections from 2 "
                        + "wrk threads; per run %s). Both replicas and wrk ran on the same %d cores of this machine, which were "
                        + "%.0f %% busy with one replica and %.0f %% with two: a /predict request is CPU work (HTTP, JSON parsing, "
                        + "the checks, the forward pass, the answer), so once one replica and the load generator fill the cores a "
                        + "second replica has no CPU of its own to add. At best it matches one replica (a ratio of 1%s); the "
                        + "second JVM's own GC, JIT and scheduling work on the same cores can make it less. Replicas add "
                        + "throughput when each has cores of its own (more cores, or other machines behind a load balancer); the "
                        + "service is stateless, so they need nothing else.",
                number(scaling),
                figures.get("predict_scaling_2_vs_1").values().stream()
                        .map(Report::number)
                        .toList(),
                RunResult.CORES,
                busy1 * 100,
                busy2 * 100,
                RunResult.CORES <= 2 ? ", the expected result on 2 cores" : "");
    }

    private List<Target> predictTargets() {
        List<Target> t = new ArrayList<>();
        double p99 = figures.get("predict_p99_ms_single").median();
        t.add(new Target(
                "predict: p99 of POST /predict, one window, 1 client, ms", "<= 5", p99, p99 <= PREDICT_P99_TARGET_MS));
        double ratio = figures.get("predict_ratio_to_health").median();
        t.add(new Target(
                "predict: POST /predict requests/s / GET /health requests/s, 16 clients",
                ">= 0.5",
                ratio,
                ratio >= PREDICT_RATIO_TARGET));
        return t;
    }

    private static Figure figure(String unit, List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return new Figure(unit, runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    private static Map<String, Object> figureJson(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", f.unit());
        m.put("median", f.median());
        m.put("min", f.min());
        m.put("max", f.max());
        m.put("runs", f.values());
        return m;
    }

    private static Map<String, Double> medians(Map<String, Figure> figures) {
        Map<String, Double> m = new LinkedHashMap<>();
        figures.forEach((k, f) -> m.put(k, f.median()));
        return m;
    }

    /**
     * One target of the issue against the measured median.
     *
     * @param name     what
     * @param target   the bound, as text
     * @param measured the median
     * @param met      whether it holds
     */
    record Target(String name, String target, double measured, boolean met) {}

    private List<Target> targets(Map<String, Figure> heap) {
        List<Target> t = new ArrayList<>();
        double ratio = figures.get("daily_close_ratio_to_floor").median();
        t.add(new Target(
                String.format(Locale.ROOT, "daily close of %,d symbols / the floor", main.symbols()),
                "<= 4",
                ratio,
                ratio <= 4));
        double close = figures.get("daily_close_seconds").median();
        t.add(new Target(
                String.format(Locale.ROOT, "daily close of %,d symbols, seconds (idle machine)", main.symbols()),
                "<= 2",
                close,
                close <= 2));
        double backfill = figures.get("backfill_ratio_to_raw_inserts").median();
        t.add(new Target("backfill end to end / (the floor's rows/s / 2)", ">= 0.25", backfill, backfill >= 0.25));
        double cassandra =
                figures.get("cassandra_cpu_seconds_per_1000_forecasts").median();
        t.add(new Target("Cassandra CPU s per 1,000 forecasts", "<= 0.25", cassandra, cassandra <= 0.25));
        double turnaround = figures.get("turnaround_seconds_10k_rows").median();
        t.add(new Target("turnaround of one 10,000-row file, seconds", "<= 2", turnaround, turnaround <= 2));
        double sink = figures.get("sink_ratio_to_raw_inserts").median();
        t.add(new Target("sink / raw inserts", ">= 0.8", sink, sink >= 0.8));
        heap.forEach((component, f) -> {
            if (BenchStack.SERVICES.contains(component)) {
                t.add(new Target(
                        component + " peak heap, MB", "<= 512", f.median(), f.median() <= SERVICE_HEAP_TARGET_MB));
            }
        });
        return t;
    }

    private void plots(Path dir, Map<String, Figure> heap, Map<String, Figure> rss, Map<String, Figure> cpu)
            throws IOException {
        Map<String, Figure> close = new LinkedHashMap<>();
        close.put("p50 per record", figures.get("daily_close_p50_ms"));
        close.put("p99 per record", figures.get("daily_close_p99_ms"));
        close.put("max per record", figures.get("daily_close_max_ms"));
        close.put("total", scaled(figures.get("daily_close_seconds"), 1000, "ms"));
        Charts.bars(
                dir.resolve("daily_close"),
                String.format(
                        Locale.ROOT,
                        "Daily close, %,d symbols: until every forecast " + "is in Cassandra",
                        main.symbols()),
                "ms",
                close,
                false);

        Map<String, Figure> rates = new LinkedHashMap<>();
        rates.put("ingest", figures.get("ingest_records_per_second"));
        rates.put("raw producer", figures.get("raw_producer_records_per_second"));
        rates.put("scoring", figures.get("scoring_records_per_second"));
        rates.put("raw pipe", figures.get("raw_pipe_records_per_second"));
        rates.put("sink", figures.get("sink_predictions_per_second"));
        rates.put("raw inserts", figures.get("raw_inserts_predictions_per_second"));
        rates.put("forward (1 thread)", figures.get("forward_windows_per_second"));
        rates.put("end to end", figures.get("backfill_records_per_second"));
        Charts.bars(
                dir.resolve("backfill"),
                String.format(Locale.ROOT, "Backfill %s: each stage and its raw baseline", main.label()),
                "records/s (log)",
                rates,
                true);

        Map<String, Figure> ratios = new LinkedHashMap<>();
        ratios.put("ingest / raw producer", figures.get("ingest_ratio_to_raw_producer"));
        ratios.put("scoring / raw pipe", figures.get("scoring_ratio_to_raw_pipe"));
        ratios.put("sink / raw inserts", figures.get("sink_ratio_to_raw_inserts"));
        ratios.put("scoring / forward", figures.get("scoring_ratio_to_forward"));
        Charts.bars(dir.resolve("ratios"), "Each stage's ratio to its raw baseline (same run)", "ratio", ratios, false);

        Map<String, Map<Integer, Figure>> throughput = new LinkedHashMap<>();
        Map<String, Map<Integer, Figure>> latency = new LinkedHashMap<>();
        for (ScalePoint p : points()) {
            List<RunResult> pr = of(p);
            throughput
                    .computeIfAbsent("backfill end to end", k -> new TreeMap<>())
                    .put(p.symbols(), figure("records/s", pr, r -> r.backfill().endToEnd()));
            throughput
                    .computeIfAbsent("daily close", k -> new TreeMap<>())
                    .put(
                            p.symbols(),
                            figure(
                                    "records/s",
                                    pr,
                                    r -> r.close().records() / r.close().totalSeconds()));
            latency.computeIfAbsent("daily close total", k -> new TreeMap<>())
                    .put(p.symbols(), figure("ms", pr, r -> r.close().totalSeconds() * 1000));
            latency.computeIfAbsent("daily close p99 per record", k -> new TreeMap<>())
                    .put(p.symbols(), figure("ms", pr, r -> r.close().p99Ms()));
        }
        Charts.scaling(dir.resolve("scaling_throughput"), "Throughput by number of symbols", "records/s", throughput);
        Charts.scaling(dir.resolve("scaling_latency"), "Daily close latency by number of symbols", "ms", latency);

        Map<String, Map<String, Double>> memory = new LinkedHashMap<>();
        memory.put("peak used heap, MB", medians(heap));
        memory.put("peak RSS, MB", medians(rss));
        Charts.groupedBars(
                dir.resolve("memory"),
                String.format(Locale.ROOT, "Memory per component, %s", main.label()),
                "MB",
                memory);
        Map<String, Map<String, Double>> cpuChart = new LinkedHashMap<>();
        cpuChart.put("CPU seconds per 1,000 forecasts", medians(cpu));
        Charts.groupedBars(dir.resolve("cpu"), "CPU time per 1,000 forecasts, by component", "CPU s", cpuChart);
    }

    private static Figure scaled(Figure f, double factor, String unit) {
        return new Figure(unit, f.values().stream().map(v -> v * factor).toList());
    }

    private String markdown(
            Map<String, Figure> heap, Map<String, Figure> rss, Map<String, Figure> cpu, List<Target> targets) {
        StringBuilder md = new StringBuilder();
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) context.get("machine");
        md.append("# pricecast bench\n\n");
        if (hasPipeline()) {
            md.append(String.format(
                    Locale.ROOT,
                    "Main point **%s** (symbols x days of backfill), %d run(s); every figure is "
                            + "the median of the runs with [min, max]. Ratios are taken per run, then the median.%n%n",
                    main.label(),
                    of(main).size()));
        }
        if (hasPredict()) {
            md.append(String.format(
                    Locale.ROOT,
                    "Predict section: %d run(s); every figure is the median of the runs with "
                            + "[min, max]. Ratios are taken per run, then the median.%n%n",
                    predict.runs().size()));
        }
        md.append("Machine: ")
                .append(machine.get("cores"))
                .append(" cores, ")
                .append(machine.get("memory_mb"))
                .append(" MB memory, ")
                .append(machine.get("cpu"))
                .append("; ")
                .append(machine.get("os"))
                .append("; ")
                .append(machine.get("java"))
                .append(".\n");
        md.append("Load average (1 min) at start / end: ")
                .append(context.get("load_average"))
                .append(
                        ". The cores may be shared with other work: compare figures within a run (the ratios), not across runs.\n\n");
        if (context.get("failure") != null) {
            md.append("**Incomplete**: a run failed (")
                    .append(context.get("failure"))
                    .append("); the figures below are of the runs done before it.\n\n");
        }
        if (context.get("skipped_runs") instanceof List<?> skipped && !skipped.isEmpty()) {
            md.append("Skipped by the time budget: ").append(skipped).append(".\n\n");
        }
        md.append("Versions: ").append(context.get("versions")).append("\n\n");
        md.append("Config: ").append(context.get("config")).append("\n\n");

        if (hasPipeline()) {
            pipelineMarkdown(md, heap, rss, cpu);
        }
        if (hasPredict()) {
            predictMarkdown(md);
        }
        md.append("## Targets\n\n| target | bound | measured (median) | met |\n|---|---|---:|---|\n");
        for (Target t : targets) {
            md.append("| ")
                    .append(t.name())
                    .append(" | ")
                    .append(t.target())
                    .append(" | ")
                    .append(number(t.measured()))
                    .append(" | ")
                    .append(t.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        return md.toString();
    }

    private void predictMarkdown(StringBuilder md) {
        Map<String, Object> d = predict.details();
        md.append("## Predict service\n\n");
        md.append(String.format(
                Locale.ROOT,
                "The stack's predict service under wrk (%s) on this machine, %d s per "
                        + "measurement after a %d s warm-up run of the same shape. `POST /predict` bodies are single windows "
                        + "(%s days, oldest first) of %s symbols taken in turn by a generated Lua script; `GET /health` is the "
                        + "same server's cheapest route under the same load, the ceiling of any route here. Commands: `%s`; `%s`; "
                        + "`%s`; %s. Scripts: %s. Warm-up: %s. CSV: %s.%n%n",
                d.get("wrk"),
                d.get("measure_seconds"),
                d.get("warmup_seconds"),
                d.get("window_days"),
                d.get("window_symbols"),
                d.get("single"),
                d.get("loaded"),
                d.get("health"),
                d.get("two_replicas"),
                d.get("scripts"),
                d.get("replica_warmup"),
                d.get("csv")));
        md.append("| figure | median [min, max] | runs |\n|---|---:|---|\n");
        for (Map.Entry<String, Figure> e : figures.entrySet()) {
            if (e.getKey().startsWith("predict_")) {
                md.append("| ")
                        .append(e.getKey())
                        .append(" (")
                        .append(e.getValue().unit())
                        .append(") | ")
                        .append(e.getValue().values().isEmpty() ? "not measured" : cell(e.getValue()))
                        .append(" | ")
                        .append(e.getValue().values().stream()
                                .map(Report::number)
                                .toList())
                        .append(" |\n");
            }
        }
        if (d.get("auto_engine_note") != null) {
            md.append("\nAuto engine: ").append(d.get("auto_engine_note")).append(".\n");
        }
        md.append("\n**1 vs 2 replicas.** ").append(scalingNote()).append("\n\n");
    }

    private void pipelineMarkdown(
            StringBuilder md, Map<String, Figure> heap, Map<String, Figure> rss, Map<String, Figure> cpu) {
        md.append(
                "## Headline: each stage against its raw baseline\n\n| stage | pipeline | raw baseline | ratio |\n|---|---:|---:|---:|\n");
        row(
                md,
                "ingest (CSV uploads)",
                "ingest_records_per_second",
                "raw_producer_records_per_second",
                "ingest_ratio_to_raw_producer");
        row(
                md,
                "scoring (exactly-once)",
                "scoring_records_per_second",
                "raw_pipe_records_per_second",
                "scoring_ratio_to_raw_pipe");
        row(
                md,
                "sink (forecasts + prices)",
                "sink_predictions_per_second",
                "raw_inserts_predictions_per_second",
                "sink_ratio_to_raw_inserts");
        row(
                md,
                "scoring vs the model alone",
                "scoring_records_per_second",
                "forward_windows_per_second",
                "scoring_ratio_to_forward");
        md.append("\n![ratios](ratios.png)\n\n");

        md.append("## Against the node's floor\n\n");
        md.append(String.format(
                Locale.ROOT,
                "The floor is what the node itself takes, measured in the same run: %,d minimal "
                        + "rows (partition key dataset + symbol, clustering date, one double) written as one single-partition unlogged "
                        + "batch of 2 rows per series, 256 in flight, plus %,d records produced raw.%n%n",
                2 * main.symbols(),
                main.symbols()));
        md.append("| figure | median [min, max] |\n|---|---:|\n");
        for (String k : List.of(
                "floor_seconds",
                "floor_insert_seconds",
                "floor_rows_per_second",
                "floor_produce_seconds",
                "floor_cassandra_cpu_seconds_per_1000_requests",
                "daily_close_ratio_to_floor",
                "backfill_ratio_to_raw_inserts",
                "cassandra_cpu_seconds_per_1000_forecasts",
                "cassandra_cpu_ratio_to_floor",
                "turnaround_seconds_10k_rows",
                "turnaround_ingest_seconds",
                "turnaround_scored_seconds",
                "turnaround_cpu_seconds",
                "turnaround_cpu_bound_seconds")) {
            md.append("| ")
                    .append(k)
                    .append(" (")
                    .append(figures.get(k).unit())
                    .append(") | ")
                    .append(cell(figures.get(k)))
                    .append(" |\n");
        }
        md.append(
                "\n`backfill_ratio_to_raw_inserts` is the end-to-end backfill rate over half the floor's rows/s (a record "
                        + "is at least a price and a forecast row); `turnaround_seconds_10k_rows` is one file of "
                        + "6 symbols in the notebook layout (its rows: config `turnaround_rows`, 10,000 unless changed), from its POST "
                        + "to the sink's last forecast of it written, checked in the pred URL. `cassandra_cpu_ratio_to_floor` is "
                        + "Cassandra's CPU per forecast of the run over its CPU per request of the floor (one series' two minimal "
                        + "rows): how many of the node's cheapest writes a forecast, its price and its scoring cost; it is steadier "
                        + "than the absolute figure when other work shares the cores. `turnaround_ingest_seconds` and "
                        + "`turnaround_scored_seconds` are when ingest had accepted and scoring had forecast every record of the file. "
                        + "`turnaround_cpu_seconds` is the CPU time of "
                        + "all the stack's processes together during the turnaround, and `turnaround_cpu_bound_seconds` that over "
                        + "the machine's cores: no schedule of that work on these cores takes less wall time.\n\n");

        md.append("## Daily close\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%,d symbols with %d days already scored; one new day published on prices.raw "
                        + "(the console-producer path) until every forecast is written by the sink to Cassandra.%n%n",
                main.symbols(),
                main.days()));
        md.append("| figure | median [min, max] |\n|---|---:|\n");
        md.append("| total, s | ")
                .append(cell(figures.get("daily_close_seconds")))
                .append(" |\n");
        md.append("| per record p50, ms | ")
                .append(cell(figures.get("daily_close_p50_ms")))
                .append(" |\n");
        md.append("| per record p99, ms | ")
                .append(cell(figures.get("daily_close_p99_ms")))
                .append(" |\n");
        md.append("| per record max, ms | ")
                .append(cell(figures.get("daily_close_max_ms")))
                .append(" |\n");
        md.append("| ingest had accepted every record, s | ")
                .append(cell(figures.get("daily_close_ingest_seconds")))
                .append(" |\n");
        md.append("| scoring had made every forecast, s | ")
                .append(cell(figures.get("daily_close_scored_seconds")))
                .append(" |\n");
        md.append("| CPU of all the stack's processes during the close, CPU s | ")
                .append(cell(figures.get("daily_close_cpu_seconds")))
                .append(" |\n");
        md.append(String.format(
                        Locale.ROOT,
                        "| that CPU over the %d cores: the least wall time of that work, s | ",
                        RunResult.CORES))
                .append(cell(figures.get("daily_close_cpu_bound_seconds")))
                .append(" |\n");
        md.append("\n![daily close](daily_close.png)\n\n");

        md.append("## Backfill\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%,d records as "
                        + (main.backfill() == ScalePoint.Backfill.CONSOLE
                                ? "console-producer messages on prices.raw (%,d datasets of the model's symbols)"
                                : "%,d CSV uploads (one per dataset of the model's symbols)")
                        + " through "
                        + "ingest, scoring and sink. Scoring's and the sink's rates are their pace while they had a backlog "
                        + "(intervals that began with their consumer lag at 1 %% of the records, 50 to 2,000); a stage that never "
                        + "had one kept up with its input, and its figure is then bounded by the stage before it. The *pipelined* "
                        + "rates are first-to-last, whatever fed them.%n%n",
                main.records(),
                (main.symbols() + 19) / 20));
        md.append("| figure | median [min, max] |\n|---|---:|\n");
        for (String k : List.of(
                "backfill_records_per_second",
                "backfill_seconds",
                "ingest_records_per_second",
                "scoring_records_per_second",
                "sink_predictions_per_second",
                "scoring_pipelined_records_per_second",
                "sink_pipelined_predictions_per_second",
                "raw_producer_records_per_second",
                "raw_pipe_records_per_second",
                "raw_inserts_predictions_per_second",
                "forward_windows_per_second")) {
            md.append("| ")
                    .append(k)
                    .append(" (")
                    .append(figures.get(k).unit())
                    .append(") | ")
                    .append(cell(figures.get(k)))
                    .append(" |\n");
        }
        md.append("\n![backfill](backfill.png)\n\n");

        md.append(
                "## Scaling\n\n| symbols x days | runs | backfill records/s | daily close s | p50 ms | p99 ms | heap MB (ingest/scoring/sink) |\n"
                        + "|---|---:|---:|---:|---:|---:|---|\n");
        for (ScalePoint p : points()) {
            List<RunResult> pr = of(p);
            Map<String, Double> h = medians(perComponent(pr, "MB", RunResult::heapMb));
            md.append("| ")
                    .append(p.label())
                    .append(" | ")
                    .append(pr.size())
                    .append(" | ")
                    .append(cell(figure("", pr, r -> r.backfill().endToEnd())))
                    .append(" | ")
                    .append(cell(figure("", pr, r -> r.close().totalSeconds())))
                    .append(" | ")
                    .append(cell(figure("", pr, r -> r.close().p50Ms())))
                    .append(" | ")
                    .append(cell(figure("", pr, r -> r.close().p99Ms())))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT,
                            "%.0f / %.0f / %.0f",
                            h.getOrDefault("ingest", Double.NaN),
                            h.getOrDefault("scoring", Double.NaN),
                            h.getOrDefault("sink", Double.NaN)))
                    .append(" |\n");
        }
        md.append("\n![scaling throughput](scaling_throughput.png)\n![scaling latency](scaling_latency.png)\n\n");

        md.append(
                "## Memory and CPU (main point)\n\n| component | peak used heap, MB | peak RSS, MB | CPU s per 1,000 forecasts |\n"
                        + "|---|---:|---:|---:|\n");
        for (String c : cpu.keySet()) {
            md.append("| ")
                    .append(c)
                    .append(" | ")
                    .append(heap.containsKey(c) ? cell(heap.get(c)) : "")
                    .append(" | ")
                    .append(rss.containsKey(c) ? cell(rss.get(c)) : "")
                    .append(" | ")
                    .append(cell(cpu.get(c)))
                    .append(" |\n");
        }
        md.append(
                "\nCPU time is the OS's user + system time of each process during backfill and daily close, divided by "
                        + "the forecasts made. Heap is the used heap `jcmd <pid> GC.heap_info` reports, sampled every "
                        + ResourceSampler.HEAP_EVERY_SECONDS
                        + " s; RSS from /proc every second.\n\n![memory](memory.png)\n![cpu](cpu.png)\n\n");
    }

    private void row(StringBuilder md, String stage, String pipeline, String baseline, String ratio) {
        md.append("| ")
                .append(stage)
                .append(" | ")
                .append(cell(figures.get(pipeline)))
                .append(" ")
                .append(figures.get(pipeline).unit())
                .append(" | ")
                .append(cell(figures.get(baseline)))
                .append(" ")
                .append(figures.get(baseline).unit())
                .append(" | **")
                .append(number(figures.get(ratio).median()))
                .append("** [")
                .append(number(figures.get(ratio).min()))
                .append(", ")
                .append(number(figures.get(ratio).max()))
                .append("] |\n");
    }

    private static String cell(Figure f) {
        return number(f.median()) + " [" + number(f.min()) + ", " + number(f.max()) + "]";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}

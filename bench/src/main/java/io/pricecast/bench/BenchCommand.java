package io.pricecast.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.schemas.Topics;
import io.pricecast.sink.SinkSettings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pricecast bench}: deterministic random-walk series through the real pipeline on a local stack of
 * its own, the raw baselines in the same run, and a report with plots. See docs/benchmarks.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = BenchCommand.Version.class,
        description = {
            "Runs synthetic daily series through ingest -> scoring -> sink on a local stack of its own "
                    + "(Kafka, registry, Cassandra, the three services; exactly-once), measures raw baselines in the same "
                    + "run, and writes DIR/report.md, DIR/report.json and PNG plots (median of the runs, with min and max).",
            "Per run of a point: backfill SYMBOLS x DAYS as CSV uploads (or console messages), then a daily close "
                    + "of one new day per symbol on prices.raw; for the main point also the turnaround of one test-URL file, "
                    + "the raw producer, raw consume+produce pipe, raw Cassandra inserts, the node's floor (minimal rows and "
                    + "records produced raw) and the plain-Java forward pass.",
            "Then the predict section: the predict service under the wrk load generator (installed with apt-get when "
                    + "missing and run as root): POST /predict p99 from 1 client, requests/s from 16 clients against GET /health "
                    + "on the same server, 1 vs 2 replicas, and POST /predict.csv rows/s (engines java and auto), over --runs."
        })
public final class BenchCommand implements Callable<Integer> {

    private static final int FORWARD_BATCH = 1024;
    /** Symbols of the turnaround file: a typical analyst's test file. */
    static final int TURNAROUND_SYMBOLS = 6;

    @Option(names = "--symbols", description = "symbols of the main point (default: ${DEFAULT-VALUE})")
    int symbols = 10_000;

    @Option(names = "--days", description = "days of backfill per symbol at the main point (default: ${DEFAULT-VALUE})")
    int days = 100;

    @Option(
            names = "--runs",
            description = "runs of the main point and of the predict section; figures are their "
                    + "median, min and max (default: ${DEFAULT-VALUE})")
    int runs = 3;

    @Option(names = "--out", description = "report directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("bench-report");

    @Option(
            names = "--backfill-via",
            description = "how the main point's backfill enters: upload (CSV uploads, one per "
                    + "dataset) or console (JSON messages on prices.raw) (default: ${DEFAULT-VALUE})")
    ScalePoint.Backfill backfillVia = ScalePoint.Backfill.UPLOAD;

    @Option(
            names = "--scale",
            split = ",",
            paramLabel = "SYMBOLSxDAYS[@upload|@console]",
            description = "further points of the scaling curve; the main point is always on it. 100,000 symbols are "
                    + "5,000 datasets, so that point backfills through the console path by default "
                    + "(default: 1000x100,100000x2@console)")
    List<String> scale = List.of("1000x100", "100000x2@console");

    @Option(names = "--scale-runs", description = "runs of each further scaling point (default: ${DEFAULT-VALUE})")
    int scaleRuns = 1;

    @Option(
            names = "--baseline-records",
            description = "forecasts (with their prices) in the raw-insert baseline " + "(default: ${DEFAULT-VALUE})")
    int baselineRecords = 20_000;

    @Option(
            names = "--turnaround-rows",
            description = "rows of the test-URL turnaround file (6 symbols, notebook layout), "
                    + "main point only (default: ${DEFAULT-VALUE})")
    int turnaroundRows = 10_000;

    @Option(
            names = "--uploads-in-flight",
            description = "uploads posted and not yet published at a time (default: ${DEFAULT-VALUE})")
    int uploadsInFlight = 4;

    @Option(
            names = "--forward-seconds",
            description = "seconds per run of the forward-pass baseline (default: ${DEFAULT-VALUE})")
    double forwardSeconds = 2;

    @Option(names = "--seed", description = "seed of the random walks (default: ${DEFAULT-VALUE})")
    long seed = 7;

    @Option(
            names = "--phase-timeout-minutes",
            description = "give up when one phase takes longer (default: ${DEFAULT-VALUE})")
    int phaseTimeoutMinutes = 60;

    @Option(
            names = "--time-budget-minutes",
            description = "start no further run after this long (0: no budget); the "
                    + "first run of the main point and each scaling point come first, further main runs after them "
                    + "(default: ${DEFAULT-VALUE})")
    int timeBudgetMinutes = 0;

    @Option(
            names = "--only",
            paramLabel = "SECTION",
            description =
                    "run one section only: pipeline (backfill, daily "
                            + "close, turnaround, baselines, scaling points) or predict (the predict service under wrk) (default: both)")
    Section only;

    @Option(
            names = "--predict-seconds",
            description = "seconds of each wrk measurement of the predict section " + "(default: ${DEFAULT-VALUE})")
    int predictSeconds = 8;

    @Option(
            names = "--predict-warmup-seconds",
            description =
                    "seconds of the wrk warm-up run before each predict " + "measurement (default: ${DEFAULT-VALUE})")
    int predictWarmupSeconds = 3;

    @Option(
            names = "--predict-replica-warmups",
            description = "warm-up runs of each predict replica alone before the first measurement: on 2 shared cores "
                    + "the JIT needs tens of seconds of load (default: ${DEFAULT-VALUE})")
    int predictReplicaWarmups = 10;

    @Option(
            names = "--predict-csv-rows",
            description = "rows of the file POSTed to /predict.csv: the model's 20 symbols x "
                    + "rows/20 days (default: ${DEFAULT-VALUE})")
    int predictCsvRows = 100_000;

    @Option(
            names = "--smoke",
            description = "a short run for CI (40 symbols x 5 days, 1 run, scale points 20x5 and "
                    + "60x3@console, small baselines; predict: 1 s measurements, 1 warm-up run per replica, a 2,000-row CSV): checks the whole chain and the "
                    + "report, not the speed")
    boolean smoke;

    @Option(
            names = "--keep-stack-home",
            description = "keep the stack's temporary state directory (logs; the predict "
                    + "section's Lua script, CSV file and wrk outputs under predict/) after the run")
    boolean keepHome;

    /** The bench's sections ({@code --only}). */
    enum Section {
        /** ingest, scoring, sink and their baselines */
        PIPELINE,
        /** the predict service under wrk */
        PREDICT
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code of one bench run with these arguments */
    public static int run(String... args) {
        return new CommandLine(new BenchCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (smoke) {
            symbols = 40;
            days = 5;
            runs = 1;
            scaleRuns = 1;
            baselineRecords = 1_000;
            turnaroundRows = 600;
            forwardSeconds = 0.3;
            scale = List.of("20x5", "60x3@console");
            predictSeconds = 1;
            predictWarmupSeconds = 1;
            predictReplicaWarmups = 1;
            predictCsvRows = 2_000;
        }
        CommandLine cli = new CommandLine(this);
        require(cli, runs > 0 && scaleRuns > 0, "--runs and --scale-runs must be positive");
        require(
                cli,
                predictSeconds > 0
                        && predictWarmupSeconds > 0
                        && predictReplicaWarmups > 0
                        && predictCsvRows > 0
                        && predictCsvRows % 20 == 0,
                "--predict-seconds, --predict-warmup-seconds and --predict-replica-warmups must be positive, "
                        + "--predict-csv-rows a positive multiple of 20");
        boolean pipelineSection = only == null || only == Section.PIPELINE;
        boolean predictSection = only == null || only == Section.PREDICT;
        require(
                cli,
                baselineRecords > 0
                        && turnaroundRows >= TURNAROUND_SYMBOLS
                        && uploadsInFlight > 0
                        && forwardSeconds > 0
                        && phaseTimeoutMinutes > 0,
                "--baseline-records, --turnaround-rows (at least " + TURNAROUND_SYMBOLS
                        + "), --uploads-in-flight, --forward-seconds and --phase-timeout-minutes must be positive");
        ScalePoint main;
        List<ScalePoint> points = new ArrayList<>();
        try {
            main = new ScalePoint(symbols, days, backfillVia);
            points.add(main);
            for (String s : scale) {
                ScalePoint p = ScalePoint.parse(s);
                if (!points.contains(p)) {
                    points.add(p);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        points.sort(java.util.Comparator.comparingInt(ScalePoint::symbols));

        ModelBundle bundle = KerasImport.firstBundle();
        List<String> known = bundle.scalers().symbols();
        Path root = Path.of(System.getProperty("pricecast.root", "."))
                .toAbsolutePath()
                .normalize();
        Path home = Files.createTempDirectory("pricecast-bench-");
        Instant started = Instant.now();
        double loadAtStart = MachineInfo.loadAverage();
        Duration timeout = Duration.ofMinutes(phaseTimeoutMinutes);
        log(
                "bench: %s; model %s knows %d symbols; stack state under %s",
                (pipelineSection ? describe(points) : "")
                        + (pipelineSection && predictSection ? ", then " : "")
                        + (predictSection ? "the predict section" : ""),
                bundle.metadata().versionId(),
                known.size(),
                home);
        List<RunResult> results = new ArrayList<>();
        List<PredictBench.Run> predictRuns = new ArrayList<>();
        Map<String, Object> predictDetails = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        String failure = null;
        Map<String, Object> config;
        try (BenchStack stack = BenchStack.start(home.resolve("stack"), root, line -> log("[stack] %s", line));
                CqlSession session = CqlSession.builder()
                        .addContactPoint(new InetSocketAddress(
                                "127.0.0.1", stack.config().cassandraPort()))
                        .withLocalDatacenter("datacenter1")
                        .withConfigLoader(CqlSessions.driverConfig(SinkSettings.DEFAULT_MAX_IN_FLIGHT))
                        .build()) {
            config = config(stack, points);
            Pipeline pipeline = new Pipeline(stack, timeout, uploadsInFlight, line -> log("%s", line));
            Baselines baselines = new Baselines(stack, timeout);
            for (Planned next : pipelineSection ? plan(main, points) : List.<Planned>of()) {
                if (timeBudgetMinutes > 0
                        && Duration.between(started, Instant.now()).toMinutes() >= timeBudgetMinutes) {
                    skipped.add(next.point().label() + " run " + next.run());
                    continue;
                }
                try {
                    results.add(runOnce(
                            stack,
                            session,
                            pipeline,
                            baselines,
                            bundle,
                            known,
                            next.point(),
                            next.run(),
                            next.point().equals(main)));
                } catch (RuntimeException e) {
                    failure = next.point().label() + " run " + next.run() + ": " + e.getMessage();
                    log("bench: %s; writing the report of the runs done so far", failure);
                    break;
                }
            }
            if (predictSection && failure == null) {
                failure = predict(stack, known, home.resolve("predict"), started, predictRuns, predictDetails, skipped);
            }
        } finally {
            if (!keepHome) {
                deleteQuietly(home);
            }
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("machine", MachineInfo.machine());
        context.put("load_average", List.of(loadAtStart, MachineInfo.loadAverage()));
        context.put("versions", MachineInfo.versions());
        context.put("config", config);
        context.put("started_at", started.toString());
        context.put("duration_seconds", Duration.between(started, Instant.now()).toSeconds());
        context.put("skipped_runs", skipped);
        context.put("failure", failure);
        if (!skipped.isEmpty()) {
            log("bench: time budget of %d min spent; skipped %s", timeBudgetMinutes, skipped);
        }
        Report report = new Report(
                main, results, predictSection ? new PredictBench.Summary(predictRuns, predictDetails) : null, context);
        report.write(out);
        Map<String, Figure> f = report.figures();
        if (report.hasPredict()) {
            log(
                    "bench: predict: p99 %s ms from 1 client (target <= 5 ms), %s requests/s from 16 clients = %s of GET /health's "
                            + "%s (target >= 0.5), 2 replicas %s requests/s (%s x one), CSV %s rows/s (java), %s rows/s (auto) "
                            + "(medians of %d runs)",
                    Report.number(f.get("predict_p99_ms_single").median()),
                    Report.number(f.get("predict_requests_per_second").median()),
                    Report.number(f.get("predict_ratio_to_health").median()),
                    Report.number(f.get("predict_health_requests_per_second").median()),
                    Report.number(
                            f.get("predict_requests_per_second_2_replicas").median()),
                    Report.number(f.get("predict_scaling_2_vs_1").median()),
                    Report.number(f.get("predict_csv_rows_per_second").median()),
                    Report.number(f.get("predict_csv_rows_per_second_auto").median()),
                    predictRuns.size());
        }
        if (!report.hasPipeline()) {
            log("bench: report in %s (%s, %s)", out.toAbsolutePath(), Report.MARKDOWN_FILE, Report.JSON_FILE);
            return failure == null ? 0 : 1;
        }
        log(
                "bench: daily close %s s (%s x the floor), backfill %s records/s end to end (%s of the floor's rows/s over 2), "
                        + "turnaround %s s, Cassandra %s CPU s per 1,000 forecasts; scoring / raw pipe %s, sink / raw inserts %s, "
                        + "ingest / raw producer %s (medians of %d runs)",
                Report.number(f.get("daily_close_seconds").median()),
                Report.number(f.get("daily_close_ratio_to_floor").median()),
                Report.number(f.get("backfill_records_per_second").median()),
                Report.number(f.get("backfill_ratio_to_raw_inserts").median()),
                Report.number(f.get("turnaround_seconds_10k_rows").median()),
                Report.number(f.get("cassandra_cpu_seconds_per_1000_forecasts").median()),
                Report.number(f.get("scoring_ratio_to_raw_pipe").median()),
                Report.number(f.get("sink_ratio_to_raw_inserts").median()),
                Report.number(f.get("ingest_ratio_to_raw_producer").median()),
                f.get("daily_close_seconds").values().size());
        log("bench: report in %s (%s, %s, PNG plots)", out.toAbsolutePath(), Report.MARKDOWN_FILE, Report.JSON_FILE);
        return failure == null ? 0 : 1;
    }

    /** {@code --version}: the code version the figures belong to. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pricecast bench " + io.pricecast.runtime.CodeVersion.current()};
        }
    }

    /** One planned run. */
    private record Planned(ScalePoint point, int run) {}

    /**
     * The main point's first run, then every scaling point in order of size, then the main point's further
     * runs: under a time budget, the curve is complete before the repeats.
     */
    private List<Planned> plan(ScalePoint main, List<ScalePoint> points) {
        List<Planned> plan = new ArrayList<>();
        plan.add(new Planned(main, 1));
        for (ScalePoint p : points) {
            for (int r = 1; r <= (p.equals(main) ? 0 : scaleRuns); r++) {
                plan.add(new Planned(p, r));
            }
        }
        for (int r = 2; r <= runs; r++) {
            plan.add(new Planned(main, r));
        }
        return plan;
    }

    private RunResult runOnce(
            BenchStack stack,
            CqlSession session,
            Pipeline pipeline,
            Baselines baselines,
            ModelBundle bundle,
            List<String> known,
            ScalePoint p,
            int run,
            boolean withBaselines)
            throws Exception {
        String prefix = "n" + p.symbols() + "x" + p.days() + "-r" + run;
        log("bench: %s, run %d: backfill of %,d records ...", p.label(), run, p.records());
        Map<TopicPartition, Long> pricesFrom = baselines.endOffsets(Topics.PRICES_ACCEPTED.name());
        Map<TopicPartition, Long> predictionsFrom = baselines.endOffsets(Topics.PREDICTIONS.name());
        RandomWalks walks = new RandomWalks(prefix, known, p.symbols(), seed);
        Pipeline.Backfill backfill;
        Pipeline.DailyClose close;
        Map<String, Double> cpu;
        ResourceSampler resources = new ResourceSampler(stack);
        try {
            backfill = pipeline.backfill(walks, p.days(), p.backfill());
            log(
                    "bench: %s, run %d: backfill %.1f s = %s records/s end to end (ingest %s, scoring %s, sink %s /s with a "
                            + "backlog; pipelined %s, %s); daily close ...",
                    p.label(),
                    run,
                    backfill.seconds(),
                    Report.number(backfill.endToEnd()),
                    Report.number(backfill.ingest()),
                    Report.number(backfill.scoring()),
                    Report.number(backfill.sink()),
                    Report.number(backfill.scoringPipelined()),
                    Report.number(backfill.sinkPipelined()));
            close = pipeline.dailyClose(walks, session);
            cpu = resources.cpuSeconds();
        } finally {
            resources.close();
        }
        log(
                "bench: %s, run %d: daily close of %,d: %s s total, per record p50 %s ms, p99 %s ms",
                p.label(),
                run,
                close.records(),
                Report.number(close.totalSeconds()),
                Report.number(close.p50Ms()),
                Report.number(close.p99Ms()));
        RunResult.Raw raw = null;
        Pipeline.Turnaround turnaround = null;
        if (withBaselines) {
            turnaround = pipeline.turnaround(
                    new RandomWalks(
                            "turnaround-" + prefix, known.subList(0, TURNAROUND_SYMBOLS), TURNAROUND_SYMBOLS, seed),
                    turnaroundRows);
            log(
                    "bench: %s, run %d: turnaround of one %,d-row file of %d symbols: %s s from its POST to its last forecast "
                            + "written (ingest done at %s s, scoring at %s s; CPU s of the stack %s, by process %s)",
                    p.label(),
                    run,
                    turnaroundRows,
                    TURNAROUND_SYMBOLS,
                    Report.number(turnaround.seconds()),
                    Report.number(turnaround.ingestSeconds()),
                    Report.number(turnaround.scoredSeconds()),
                    Report.number(turnaround.cpuSeconds()),
                    turnaround.cpuByComponent().entrySet().stream()
                            .map(e -> e.getKey() + " " + Report.number(e.getValue()))
                            .toList());
            String rawTopic = "bench.raw-producer." + prefix;
            String pipeTopic = "bench.raw-pipe." + prefix;
            baselines.createTopic(rawTopic);
            baselines.createTopic(pipeTopic);
            double producer =
                    baselines.rawProducer(new RandomWalks(prefix, known, p.symbols(), seed), p.days(), rawTopic);
            double pipe = baselines.rawPipe(rawTopic, pipeTopic, p.records());
            double inserts = baselines.rawInserts(
                    session, keyspaceName("bench_raw_" + prefix), pricesFrom, predictionsFrom, baselineRecords);
            Baselines.Floor floor = baselines.floor(
                    session,
                    p.symbols(),
                    keyspaceName("bench_floor_" + prefix),
                    "bench.floor." + prefix,
                    () -> ProcessStats.cpuNanos(stack.process("cassandra")));
            double forward = Baselines.forward(bundle, FORWARD_BATCH, forwardSeconds, 1);
            raw = new RunResult.Raw(producer, pipe, inserts, forward, floor);
            log(
                    "bench: %s, run %d: raw producer %s records/s, raw pipe %s records/s, raw inserts %s forecasts/s, "
                            + "plain-Java forward %s windows/s; floor %s s (%,d minimal rows in %s s = %s rows/s, %,d records "
                            + "produced raw in %s s)",
                    p.label(),
                    run,
                    Report.number(producer),
                    Report.number(pipe),
                    Report.number(inserts),
                    Report.number(forward),
                    Report.number(floor.seconds()),
                    floor.rows(),
                    Report.number(floor.insertSeconds()),
                    Report.number(floor.rowsPerSecond()),
                    floor.records(),
                    Report.number(floor.produceSeconds()));
        }
        return new RunResult(
                p, run, backfill, close, cpu, resources.peakHeapMb(), resources.peakRssMb(), raw, turnaround);
    }

    /**
     * The predict section: {@code --runs} runs of {@link PredictBench} on the running stack; the extra instances it
     * starts are stopped before it returns.
     *
     * @return the failure, null when every run was done
     */
    private String predict(
            BenchStack stack,
            List<String> known,
            Path dir,
            Instant started,
            List<PredictBench.Run> runsDone,
            Map<String, Object> details,
            List<String> skipped) {
        PredictBench.Settings settings = new PredictBench.Settings(
                Duration.ofSeconds(predictSeconds),
                Duration.ofSeconds(predictWarmupSeconds),
                predictReplicaWarmups,
                predictCsvRows,
                seed);
        log(
                "bench: predict section, %d run(s) of %d s measurements after %d s warm-ups ...",
                runs, predictSeconds, predictWarmupSeconds);
        try (PredictBench bench = PredictBench.start(stack, known, dir, settings, line -> log("%s", line))) {
            details.putAll(bench.details());
            for (int r = 1; r <= runs; r++) {
                if (r > 1
                        && timeBudgetMinutes > 0
                        && Duration.between(started, Instant.now()).toMinutes() >= timeBudgetMinutes) {
                    skipped.add("predict run " + r);
                    continue;
                }
                stack.requireAlive();
                runsDone.add(bench.runOnce(r));
            }
            details.putAll(bench.details());
            return null;
        } catch (Exception e) {
            String failure = "predict run " + (runsDone.size() + 1) + ": " + e.getMessage();
            details.put("failure", failure);
            log("bench: %s; writing the report of the runs done so far", failure);
            return failure;
        }
    }

    private static String keyspaceName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private Map<String, Object> config(BenchStack stack, List<ScalePoint> points) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("symbols", symbols);
        c.put("days", days);
        c.put("runs", runs);
        c.put("scale_points", points.stream().map(ScalePoint::spec).toList());
        c.put("scale_runs", scaleRuns);
        c.put("time_budget_minutes", timeBudgetMinutes);
        c.put("smoke", smoke);
        c.put("seed", seed);
        c.put("partitions", stack.config().partitions());
        c.put("uploads_in_flight", uploadsInFlight);
        c.put("baseline_records", baselineRecords);
        c.put("turnaround_rows", turnaroundRows);
        c.put(
                "floor",
                "per main-point run: 2 x symbols minimal rows (one single-partition unlogged batch of 2 per series, "
                        + "256 in flight) + symbols records produced raw");
        c.put("forward_batch", FORWARD_BATCH);
        c.put("sections", only == null ? "pipeline, predict" : only.name().toLowerCase(Locale.ROOT));
        c.put("predict_seconds", predictSeconds);
        c.put("predict_warmup_seconds", predictWarmupSeconds);
        c.put("predict_csv_rows", predictCsvRows);
        c.put("scoring_processing_guarantee", "exactly_once_v2 (the service's setting)");
        c.put("cassandra_commitlog", "batch: fsync before acknowledging (the local stack's setting)");
        c.put(
                "cassandra_settings",
                stack.config().cassandraSettings().isEmpty()
                        ? "the local stack's"
                        : "the local stack's with " + stack.config().cassandraSettings()
                                + " (PRICECAST_CASSANDRA_SETTINGS)");
        c.put(
                "heaps",
                Map.of(
                        "kafka",
                        stack.config().kafkaHeap(),
                        "cassandra",
                        stack.config().cassandraHeap(),
                        "registry",
                        stack.config().registryHeap(),
                        "each service",
                        stack.config().serviceHeap()));
        return c;
    }

    private static String describe(List<ScalePoint> points) {
        return "points " + points.stream().map(ScalePoint::label).toList();
    }

    private static void require(CommandLine cli, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cli, message);
        }
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            log("bench: could not delete %s: %s", dir, e.getMessage());
        }
    }
}

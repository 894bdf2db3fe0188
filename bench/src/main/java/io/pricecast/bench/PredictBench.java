package io.pricecast.bench;

import io.pricecast.model.features.FeatureSpec;
import io.pricecast.stack.StackException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The predict section of the bench: the predict service of the bench's stack under a real HTTP load generator
 * ({@link Wrk}), and its CSV route timed with the JDK's HTTP client.
 *
 * <p>Per run: {@code POST /predict} of single windows from 16 connections spread over 2 replicas (two wrk processes of
 * 8 connections at once, one per replica), then from 16 connections on one replica (throughput), {@code GET /health}
 * from 16 connections on the same server (what the HTTP layer alone serves: the ceiling of any route on this
 * machine), from 1 connection (latency distribution), and one {@code POST /predict.csv} of a generated file on the
 * default engine and, when a third instance with {@code PRICECAST_PREDICT_ENGINE=auto} starts, on that one. Every wrk
 * measurement follows a warm-up run of the same shape; before the first run each replica is warmed alone and alike.
 */
final class PredictBench implements AutoCloseable {

    /** The stack's predict service. */
    static final String SERVICE = "predict";
    /** The second replica of the scaling measurement. */
    static final String SECOND_REPLICA = "predict-2";
    /** The instance with the auto engine, for the CSV route. */
    static final String AUTO = "predict-auto";
    /** Connections of the throughput measurements (wrk threads: 2). */
    static final int CONNECTIONS = 16;

    private static final int THREADS = 2;
    private static final LocalDate CSV_FIRST_DAY = LocalDate.of(2000, 1, 1);
    private static final LocalDate WINDOW_FIRST_DAY = LocalDate.of(2024, 1, 1);
    private static final double DAILY_VOLATILITY = 0.03;
    private static final double INTRADAY_RANGE = 0.02;
    private static final Duration CSV_TIMEOUT = Duration.ofMinutes(10);

    /**
     * What to run.
     *
     * @param measure  each wrk measurement's duration
     * @param warmup   the warm-up run before each
     * @param replicaWarmups each replica's warm-up alone before run 1, in runs of the warm-up length
     * @param csvRows  rows of the CSV file (the model's symbols x days)
     * @param seed     the random walks' seed
     */
    record Settings(Duration measure, Duration warmup, int replicaWarmups, int csvRows, long seed) {}

    /**
     * One timed {@code POST /predict.csv}.
     *
     * @param rows      rows of the file
     * @param forecasts forecasts answered (X-Pricecast-Forecasts)
     * @param seconds   from the request's start to the answer's last byte
     */
    record Csv(long rows, long forecasts, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("forecasts", forecasts);
            m.put("seconds", seconds);
            m.put("rows_per_second", rowsPerSecond());
            return m;
        }
    }

    /**
     * Everything one run of the section measured.
     *
     * @param run        1-based
     * @param cpuBusyIdle the share of all cores busy (all processes) in the seconds before the run, without load
     * @param single     {@code POST /predict}, 1 thread, 1 connection
     * @param loaded     {@code POST /predict}, 2 threads, 16 connections, one replica
     * @param health     {@code GET /health}, 2 threads, 16 connections, the same replica
     * @param replicaA   {@code POST /predict}, 1 thread, 8 connections on the first replica, while replicaB ran
     * @param replicaB   the same on the second replica, at the same time
     * @param cpuBusy1   the share of all cores busy (all processes) during {@code loaded}
     * @param cpuBusy2   the same during the two-replica measurement
     * @param csv        the CSV route on the default engine
     * @param csvAuto    the CSV route on the auto engine, null when that instance did not start
     */
    record Run(
            int run,
            double cpuBusyIdle,
            Wrk.Result single,
            Wrk.Result loaded,
            Wrk.Result health,
            Wrk.Result replicaA,
            Wrk.Result replicaB,
            double cpuBusy1,
            double cpuBusy2,
            Csv csv,
            Csv csvAuto) {

        double p99SingleMs() {
            return single.p99Ms();
        }

        double requestsPerSecond() {
            return loaded.requestsPerSecond();
        }

        double healthRequestsPerSecond() {
            return health.requestsPerSecond();
        }

        double ratioToHealth() {
            return loaded.requestsPerSecond() / health.requestsPerSecond();
        }

        double requestsPerSecond2Replicas() {
            return replicaA.requestsPerSecond() + replicaB.requestsPerSecond();
        }

        double scaling2vs1() {
            return requestsPerSecond2Replicas() / loaded.requestsPerSecond();
        }

        double csvRowsPerSecond() {
            return csv.rowsPerSecond();
        }

        double csvAutoRowsPerSecond() {
            return csvAuto == null ? Double.NaN : csvAuto.rowsPerSecond();
        }
    }

    /**
     * The section's outcome for the report.
     *
     * @param runs    every run done
     * @param details how it was measured (commands, settings, instances, notes), written as they are
     */
    record Summary(List<Run> runs, Map<String, Object> details) {}

    private final BenchStack stack;
    private final Settings settings;
    private final Consumer<String> progress;
    private final Path dir;
    private final Wrk wrk;
    private final Path script;
    private final Path healthScript;
    private final Path csvFile;
    private final String url;
    private final String secondUrl;
    private String autoUrl;
    private final String autoNote;
    /** The share of all cores busy during the last measured wrk run (not its warm-up). */
    private double lastBusy = Double.NaN;

    private final List<String> started = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    private PredictBench(
            BenchStack stack,
            Settings settings,
            Consumer<String> progress,
            Path dir,
            Wrk wrk,
            Path script,
            Path csvFile,
            String secondUrl,
            String autoUrl,
            String autoNote,
            List<String> started) {
        this.stack = stack;
        this.settings = settings;
        this.progress = progress;
        this.dir = dir;
        this.wrk = wrk;
        this.script = script;
        this.healthScript = dir.resolve("health.lua");
        this.csvFile = csvFile;
        this.url = stack.predictUrl();
        this.secondUrl = secondUrl;
        this.autoUrl = autoUrl;
        this.autoNote = autoNote;
        this.started.addAll(started);
    }

    /**
     * Finds (or installs) wrk, writes the Lua script and the CSV file into {@code dir}, starts the second replica and
     * the auto-engine instance, and warms the CSV route up once on each engine.
     *
     * @param stack    the running stack, with its predict service
     * @param symbols  the symbols the model knows
     * @param dir      a working directory (deleted with the bench's temporary state)
     * @param settings what to run
     * @param progress where progress lines go
     * @return the section, ready to run
     * @throws IllegalStateException when wrk is missing and cannot be installed, or the predict service is not there
     */
    static PredictBench start(
            BenchStack stack, List<String> symbols, Path dir, Settings settings, Consumer<String> progress)
            throws IOException {
        if (!stack.has(SERVICE) || stack.liveProcess(SERVICE).isEmpty()) {
            throw new IllegalStateException(
                    "the predict section needs the predict service built and running in the stack "
                            + "(module predict-service); run ./pricecast build");
        }
        Files.createDirectories(dir);
        Wrk wrk = Wrk.locateOrInstall(dir.resolve("apt-get.log"), progress);
        Path script = writeScript(dir.resolve("predict.lua"), symbols, settings.seed());
        writeHealthScript(dir.resolve("health.lua"), symbols.size());
        Path csv = dir.resolve("predict-" + settings.csvRows() + ".csv");
        writeCsv(csv, symbols, settings.csvRows(), settings.seed());
        List<String> started = new ArrayList<>();
        String secondUrl;
        String autoUrl = null;
        String autoNote = null;
        try {
            progress.accept("predict: starting a second replica (" + SECOND_REPLICA + ") ...");
            secondUrl = "http://127.0.0.1:" + stack.startInstance(SERVICE, SECOND_REPLICA, Map.of());
            started.add(SECOND_REPLICA);
            progress.accept("predict: starting an instance with PRICECAST_PREDICT_ENGINE=auto (" + AUTO + ") ...");
            try {
                autoUrl = "http://127.0.0.1:"
                        + stack.startInstance(SERVICE, AUTO, Map.of("PRICECAST_PREDICT_ENGINE", "auto"));
                started.add(AUTO);
            } catch (StackException e) {
                autoNote = "the auto-engine instance did not start: "
                        + e.getMessage().lines().findFirst().orElse("");
                progress.accept("predict: " + autoNote + "; its CSV figure is left out");
                started.add(AUTO);
            }
        } catch (RuntimeException e) {
            for (String name : started) {
                stack.stopInstance(name);
            }
            throw e;
        }
        PredictBench bench = new PredictBench(
                stack, settings, progress, dir, wrk, script, csv, secondUrl, autoUrl, autoNote, started);
        try {
            bench.details(symbols.size());
            for (String base : List.of(bench.url, secondUrl)) {
                // each replica warmed alone and alike (one CSV, then /predict under the 16 connections), so that
                // neither meets the measurements with code the JIT has not compiled yet
                Csv warm = bench.postCsv(base);
                List<Double> rates = bench.warmUp(base);
                progress.accept(String.format(
                        Locale.ROOT,
                        "predict: warm-up of %s: CSV of %,d rows, %,d forecasts in %.2f s; "
                                + "/predict from %d connections, %d s runs: %s req/s",
                        base,
                        warm.rows(),
                        warm.forecasts(),
                        warm.seconds(),
                        CONNECTIONS,
                        settings.warmup().toSeconds(),
                        rates.stream().map(Report::number).toList()));
            }
            if (autoUrl != null) {
                try {
                    Csv warmAuto = bench.postCsv(autoUrl);
                    progress.accept(String.format(
                            Locale.ROOT, "predict: CSV warm-up on the auto engine: %.2f s", warmAuto.seconds()));
                } catch (RuntimeException e) {
                    bench.dropAuto("the auto-engine instance failed its first CSV: " + e.getMessage());
                }
            }
        } catch (RuntimeException | IOException e) {
            bench.close();
            throw e;
        }
        return bench;
    }

    private void dropAuto(String note) {
        progress.accept("predict: " + note + "; its CSV figure is left out");
        autoUrl = null;
        details.put("auto_engine_note", note);
    }

    private void details(int symbols) {
        details.put("wrk", wrk.version());
        details.put("measure_seconds", settings.measure().toSeconds());
        details.put("warmup_seconds", settings.warmup().toSeconds());
        details.put("window_days", FeatureSpec.WINDOW_LENGTH + 1);
        details.put("window_symbols", symbols);
        details.put(
                "single",
                "wrk -t1 -c1 -d" + settings.measure().toSeconds() + "s --latency -s predict.lua "
                        + "http://127.0.0.1:<predict port>/predict");
        details.put(
                "loaded",
                "wrk -t" + THREADS + " -c" + CONNECTIONS + " -d"
                        + settings.measure().toSeconds()
                        + "s --latency -s predict.lua http://127.0.0.1:<predict port>/predict");
        details.put(
                "health",
                "wrk -t" + THREADS + " -c" + CONNECTIONS + " -d"
                        + settings.measure().toSeconds()
                        + "s --latency -s health.lua http://127.0.0.1:<predict port>/health");
        details.put(
                "two_replicas",
                "two at once: wrk -t1 -c" + CONNECTIONS / 2 + " -d"
                        + settings.measure().toSeconds()
                        + "s --latency -s predict.lua against each replica's /predict; their requests/s summed");
        details.put(
                "csv",
                String.format(
                        Locale.ROOT,
                        "POST /predict.csv (Content-Type: text/csv) of %,d rows (%d symbols x "
                                + "%,d days, short layout, random walks), JDK HttpClient, timed from the request to the answer's last byte; "
                                + "one warm-up POST per instance first",
                        settings.csvRows(),
                        symbols,
                        settings.csvRows() / symbols));
        details.put(
                "scripts",
                "predict.lua: " + symbols + " pre-formatted POST /predict requests (one window of each "
                        + "symbol) returned in turn by request(); health.lua: the same mechanism with " + symbols
                        + " GET /health "
                        + "requests, so both measurements cost wrk the same per request");
        details.put(
                "replica_warmup",
                String.format(
                        Locale.ROOT,
                        "before run 1, each of %s and %s alone and alike: one "
                                + "CSV, then %d wrk -t%d -c%d runs of %d s on /predict; in every run the 2-replica measurement comes first, "
                                + "so that in run 1 both replicas have the same history",
                        SERVICE,
                        SECOND_REPLICA,
                        settings.replicaWarmups(),
                        THREADS,
                        CONNECTIONS,
                        settings.warmup().toSeconds()));
        details.put("csv_bytes", sizeOf(csvFile));
        details.put(
                "instances",
                List.of(
                        SERVICE + " (the stack's, engine java)",
                        SECOND_REPLICA + " (engine java)",
                        AUTO + " (PRICECAST_PREDICT_ENGINE=auto)"));
        details.put("cores", RunResult.CORES);
        if (autoNote != null) {
            details.put("auto_engine_note", autoNote);
        }
    }

    /** @return how the section measures, for report.json */
    Map<String, Object> details() {
        return details;
    }

    /**
     * One run of every measurement.
     *
     * @param run 1-based
     * @return its figures
     * @throws IllegalStateException when a measurement fails (wrk error, non-2xx answers, a failed CSV)
     */
    Run runOnce(int run) throws IOException {
        String prefix = "run" + run;
        CpuTimes idleFrom = CpuTimes.now();
        sleep(settings.warmup());
        double idle = CpuTimes.now().busySince(idleFrom);
        progress.accept(String.format(
                Locale.ROOT, "predict: run %d: cores %.0f %% busy without load; 2 replicas ...", run, idle * 100));
        // the 2-replica measurement first: in run 1 both replicas then have the same history (their warm-up alone)
        measurePair(prefix + "-replicas", true);
        Wrk.Result[] pair = measurePair(prefix + "-replicas", false);
        double busy2 = lastBusy;
        double rps2 = pair[0].requestsPerSecond() + pair[1].requestsPerSecond();
        progress.accept(String.format(
                Locale.ROOT,
                "predict: run %d: 2 replicas: %s + %s = %s req/s (p99 %s / %s ms; cores "
                        + "%.0f %% busy); 1 replica ...",
                run,
                Report.number(pair[0].requestsPerSecond()),
                Report.number(pair[1].requestsPerSecond()),
                Report.number(rps2),
                Report.number(pair[0].p99Ms()),
                Report.number(pair[1].p99Ms()),
                busy2 * 100));
        Wrk.Result loaded = measure(prefix + "-loaded", THREADS, CONNECTIONS, script, url + "/predict");
        double busy1 = lastBusy;
        Wrk.Result health = measure(prefix + "-health", THREADS, CONNECTIONS, healthScript, url + "/health");
        progress.accept(String.format(
                Locale.ROOT,
                "predict: run %d: 1 replica, %d connections: /predict %s req/s (p99 %s ms, "
                        + "cores %.0f %% busy; 2 replicas / 1: %s), /health %s req/s, /predict / /health %s; 1 connection ...",
                run,
                CONNECTIONS,
                Report.number(loaded.requestsPerSecond()),
                Report.number(loaded.p99Ms()),
                busy1 * 100,
                Report.number(rps2 / loaded.requestsPerSecond()),
                Report.number(health.requestsPerSecond()),
                Report.number(loaded.requestsPerSecond() / health.requestsPerSecond())));
        Wrk.Result single = measure(prefix + "-single", 1, 1, script, url + "/predict");
        progress.accept(String.format(
                Locale.ROOT,
                "predict: run %d: 1 connection: %s req/s, p50 %s ms, p99 %s ms; CSV ...",
                run,
                Report.number(single.requestsPerSecond()),
                Report.number(single.p50Ms()),
                Report.number(single.p99Ms())));
        Csv csv = postCsv(url);
        Csv csvAuto = null;
        if (autoUrl != null) {
            try {
                csvAuto = postCsv(autoUrl);
            } catch (RuntimeException e) {
                dropAuto("the auto-engine instance failed a CSV in run " + run + ": " + e.getMessage());
            }
        }
        progress.accept(String.format(
                Locale.ROOT,
                "predict: run %d: CSV of %,d rows: %.2f s = %s rows/s (java)%s",
                run,
                csv.rows(),
                csv.seconds(),
                Report.number(csv.rowsPerSecond()),
                csvAuto == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", %.2f s = %s rows/s (auto)",
                                csvAuto.seconds(),
                                Report.number(csvAuto.rowsPerSecond()))));
        return new Run(run, idle, single, loaded, health, pair[0], pair[1], busy1, busy2, csv, csvAuto);
    }

    /**
     * Loads one replica alone with the throughput shape in {@link Settings#replicaWarmups} warm-up-length runs: on 2 shared
     * cores the JIT takes far longer than one warm-up run to compile what the requests use (the rate still climbs
     * after tens of seconds).
     *
     * @return the rate of each run
     */
    private List<Double> warmUp(String base) throws IOException {
        List<Double> rates = new ArrayList<>();
        String port = base.substring(base.lastIndexOf(':') + 1);
        for (int i = 1; i <= settings.replicaWarmups(); i++) {
            Wrk.Result r = check(
                    wrk.run(
                            THREADS,
                            CONNECTIONS,
                            settings.warmup(),
                            script,
                            base + "/predict",
                            dir.resolve("warmup-" + port + "-" + i + ".txt")),
                    "warm-up of " + base);
            rates.add(r.requestsPerSecond());
        }
        details.put("replica_warmup_requests_per_second_" + (base.equals(url) ? SERVICE : SECOND_REPLICA), rates);
        return rates;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A warm-up run of the shape, then the measured run. */
    private Wrk.Result measure(String name, int threads, int connections, Path lua, String target) throws IOException {
        check(
                wrk.run(threads, connections, settings.warmup(), lua, target, dir.resolve(name + "-warmup.txt")),
                name + " warm-up");
        CpuTimes before = CpuTimes.now();
        Wrk.Result result = wrk.run(threads, connections, settings.measure(), lua, target, dir.resolve(name + ".txt"));
        lastBusy = CpuTimes.now().busySince(before);
        return check(result, name);
    }

    private Wrk.Result[] measurePair(String name, boolean warmup) throws IOException {
        Duration d = warmup ? settings.warmup() : settings.measure();
        String suffix = warmup ? "-warmup" : "";
        CpuTimes before = CpuTimes.now();
        Wrk.Running a =
                wrk.start(1, CONNECTIONS / 2, d, script, url + "/predict", dir.resolve(name + "-a" + suffix + ".txt"));
        Wrk.Running b = wrk.start(
                1, CONNECTIONS / 2, d, script, secondUrl + "/predict", dir.resolve(name + "-b" + suffix + ".txt"));
        Wrk.Result ra = a.await();
        Wrk.Result rb = b.await();
        lastBusy = CpuTimes.now().busySince(before);
        return new Wrk.Result[] {
            check(ra, name + " (" + SERVICE + ")" + suffix), check(rb, name + " (" + SECOND_REPLICA + ")" + suffix)
        };
    }

    private static Wrk.Result check(Wrk.Result r, String what) {
        if (r.requests() == 0 || r.non2xx() > 0) {
            throw new IllegalStateException("predict " + what + ": " + r.non2xx() + " of " + r.requests()
                    + " answers were not 2xx; the service refused the requests (see its log)");
        }
        if (r.socketErrors() > r.requests() / 100) {
            throw new IllegalStateException(
                    "predict " + what + ": " + r.socketErrors() + " socket errors for " + r.requests() + " requests");
        }
        return r;
    }

    /** POSTs the CSV file once and times it to the answer's last byte. */
    private Csv postCsv(String base) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/predict.csv"))
                .timeout(CSV_TIMEOUT)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(csvFile))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response;
        long bytes = 0;
        String error;
        try {
            response = stack.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[1 << 16];
                if (response.statusCode() == 200) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        bytes += n;
                    }
                    error = null;
                } else {
                    error = new String(in.readNBytes(2_000), StandardCharsets.UTF_8);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during POST /predict.csv", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (error != null) {
            throw new IllegalStateException(
                    "POST " + base + "/predict.csv answered " + response.statusCode() + ": " + error);
        }
        long forecasts = response.headers()
                .firstValue("X-Pricecast-Forecasts")
                .map(Long::parseLong)
                .orElse(-1L);
        if (forecasts <= 0 || bytes == 0) {
            throw new IllegalStateException(
                    "POST " + base + "/predict.csv answered no forecasts (X-Pricecast-Forecasts " + forecasts + ", "
                            + bytes + " bytes)");
        }
        return new Csv(settings.csvRows(), forecasts, seconds);
    }

    /** Stops the instances the section started (the stack's own predict service stays with the stack). */
    @Override
    public void close() {
        for (String name : started) {
            try {
                List<Long> killed = stack.stopInstance(name);
                progress.accept("predict: " + name + " stopped" + (killed.isEmpty() ? "" : " (killed " + killed + ")"));
            } catch (RuntimeException e) {
                progress.accept(
                        "predict: stopping " + name + " failed: " + e.getMessage() + "; the stack's shutdown stops it");
            }
        }
        started.clear();
    }

    /**
     * The Lua script wrk runs: POST /predict with one single-window JSON body per known symbol (the window the model
     * needs, oldest day first), taken in turn.
     */
    static Path writeScript(Path file, List<String> symbols, long seed) throws IOException {
        StringBuilder lua = new StringBuilder();
        lua.append(
                        "-- written by ./pricecast bench (predict section): POST /predict of single windows, one per symbol,\n")
                .append("-- taken in turn; each wrk thread formats the requests once in init().\n")
                .append("local bodies = {\n");
        for (int i = 0; i < symbols.size(); i++) {
            lua.append("  [==[")
                    .append(windowJson(symbols.get(i), new Random(seed * 31 + i)))
                    .append("]==],\n");
        }
        lua.append("}\n")
                .append("local requests = {}\n")
                .append("local next_request = 0\n")
                .append("function init(args)\n")
                .append("  for k, body in ipairs(bodies) do\n")
                .append(
                        "    requests[k] = wrk.format(\"POST\", nil, {[\"Content-Type\"] = \"application/json\"}, body)\n")
                .append("  end\n")
                .append("end\n")
                .append("function request()\n")
                .append("  next_request = next_request % #requests + 1\n")
                .append("  return requests[next_request]\n")
                .append("end\n");
        Files.writeString(file, lua.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The Lua script of the health measurement: the same {@code request()} mechanism as {@link #writeScript}, with
     * {@code GET /health} requests, so that wrk spends the same per request in both.
     */
    static Path writeHealthScript(Path file, int requests) throws IOException {
        String lua =
                "-- written by ./pricecast bench (predict section): GET /health through the same request() mechanism\n"
                        + "-- as predict.lua, so that wrk's own cost per request is the same in both measurements.\n"
                        + "local requests = {}\n"
                        + "local next_request = 0\n"
                        + "function init(args)\n"
                        + "  for k = 1, " + requests + " do\n"
                        + "    requests[k] = wrk.format(\"GET\", nil, nil, nil)\n"
                        + "  end\n"
                        + "end\n"
                        + "function request()\n"
                        + "  next_request = next_request % #requests + 1\n"
                        + "  return requests[next_request]\n"
                        + "end\n";
        Files.writeString(file, lua, StandardCharsets.UTF_8);
        return file;
    }

    /** @return a {@code POST /predict} body of one window of a random walk: the days the model needs, oldest first */
    static String windowJson(String symbol, Random random) {
        StringBuilder json = new StringBuilder("{\"symbol\":\"").append(symbol).append("\",\"prices\":[");
        double level = 1 + random.nextDouble() * 100;
        for (int d = 0; d < FeatureSpec.WINDOW_LENGTH + 1; d++) {
            double[] ohlc = day(random, level);
            level = ohlc[3];
            if (d > 0) {
                json.append(',');
            }
            json.append(String.format(
                    Locale.ROOT,
                    "{\"date\":\"%s\",\"open\":%.6f,\"high\":%.6f,\"low\":%.6f,\"close\":%.6f,"
                            + "\"volume\":%.1f,\"market\":%.1f}",
                    WINDOW_FIRST_DAY.plusDays(d),
                    ohlc[0],
                    ohlc[1],
                    ohlc[2],
                    ohlc[3],
                    ohlc[4],
                    ohlc[5]));
        }
        return json.append("]}").toString();
    }

    /**
     * Writes {@code rows} rows in the short layout: the model's symbols, each a random walk of {@code rows / symbols}
     * consecutive days (oldest first), with high at least max(open, close), low at most min(open, close), all positive.
     */
    static void writeCsv(Path file, List<String> symbols, int rows, long seed) throws IOException {
        int days = rows / symbols.size();
        if (days * symbols.size() != rows || days < FeatureSpec.WINDOW_LENGTH + 1) {
            throw new IllegalArgumentException("the CSV's rows (" + rows + ") must be a multiple of the "
                    + symbols.size() + " symbols, with at least " + (FeatureSpec.WINDOW_LENGTH + 1) + " days each");
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(RandomWalks.DailyPrice.CSV_HEADER);
            out.write('\n');
            for (int s = 0; s < symbols.size(); s++) {
                Random random = new Random(seed * 1_000_003L + s);
                double level = 1 + random.nextDouble() * 100;
                LocalDate date = CSV_FIRST_DAY;
                for (int d = 0; d < days; d++) {
                    double[] ohlc = day(random, level);
                    level = ohlc[3];
                    out.write(String.format(
                            Locale.ROOT,
                            "%s,%s,%.6f,%.6f,%.6f,%.6f,%.1f,%.1f%n",
                            symbols.get(s),
                            date,
                            ohlc[0],
                            ohlc[1],
                            ohlc[2],
                            ohlc[3],
                            ohlc[4],
                            ohlc[5]));
                    date = date.plusDays(1);
                }
            }
        }
    }

    /** @return open, high, low, close, volume, market of one day opening at {@code level} */
    private static double[] day(Random random, double level) {
        double open = level;
        double close = open * Math.exp(random.nextGaussian() * DAILY_VOLATILITY);
        double high = Math.max(open, close) * (1 + random.nextDouble() * INTRADAY_RANGE);
        double low = Math.min(open, close) * (1 - random.nextDouble() * INTRADAY_RANGE);
        double volume = 1000 + random.nextInt(1000);
        return new double[] {open, high, low, close, volume, close * 1_000_000};
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The machine's CPU time from {@code /proc/stat}: busy and total jiffies over all cores. */
    private record CpuTimes(long busy, long total) {
        static CpuTimes now() {
            try {
                String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
                String[] f = line.trim().split("\\s+");
                long total = 0;
                long idle = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i == 4 || i == 5) {
                        idle += v;
                    }
                }
                return new CpuTimes(total - idle, total);
            } catch (IOException | RuntimeException e) {
                return new CpuTimes(-1, -1);
            }
        }

        /** @return the share of all cores busy since {@code before}, NaN when unknown */
        double busySince(CpuTimes before) {
            if (busy < 0 || before.busy < 0 || total == before.total) {
                return Double.NaN;
            }
            return (double) (busy - before.busy) / (total - before.total);
        }
    }
}

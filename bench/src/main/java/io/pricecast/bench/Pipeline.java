package io.pricecast.bench;

import static io.pricecast.bench.StageTrace.Stage.INGEST;
import static io.pricecast.bench.StageTrace.Stage.SCORING;
import static io.pricecast.bench.StageTrace.Stage.SINK;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.schemas.RowLineage;
import io.pricecast.schemas.SharedTables;
import io.pricecast.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives the real pipeline of a running {@link BenchStack}: a backfill as CSV uploads to ingest (one upload
 * per dataset, the test-URL path), then a daily close as one console-producer JSON message per series on
 * {@code prices.raw} (the daily-feed path), each timed until the forecasts are persisted by the sink.
 */
final class Pipeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UPLOAD_POLL = Duration.ofMillis(50);
    private static final Duration STAGE_POLL = Duration.ofMillis(20);
    private static final Duration BACKFILL_POLL = Duration.ofMillis(200);
    /** Queries started before the next wait for all: fewer than the session's throttler queues (10,000). */
    private static final int QUERY_WINDOW = 5_000;

    private static final int PROGRESS_EVERY_SECONDS = 10;
    /** Bounds of the backlog a stage must have for an interval to count towards its busy rate. */
    private static final long MIN_BACKLOG = 50;

    private static final long MAX_BACKLOG = 2_000;

    private final BenchStack stack;
    private final Duration timeout;
    private final int uploadsInFlight;
    private final Consumer<String> progress;

    /**
     * @param stack           the running stack
     * @param timeout         how long one phase may take before the bench gives up
     * @param uploadsInFlight uploads posted and not yet published at any time
     * @param progress        where progress lines go
     */
    Pipeline(BenchStack stack, Duration timeout, int uploadsInFlight, Consumer<String> progress) {
        this.stack = stack;
        this.timeout = timeout;
        this.uploadsInFlight = uploadsInFlight;
        this.progress = progress;
    }

    /**
     * The backfill's figures.
     *
     * @param records           records uploaded (= forecasts expected)
     * @param ingest            records/s accepted and published by ingest
     * @param scoring           forecasts/s produced by scoring while it had a backlog (its own pace)
     * @param sink              forecasts/s persisted by the sink while it had a backlog (its own pace)
     * @param scoringPipelined  forecasts/s of scoring from its first to its last, whatever fed it
     * @param sinkPipelined     forecasts/s of the sink from its first to its last
     * @param endToEnd          records/s from the first upload to the last forecast persisted
     * @param seconds           that time
     */
    record Backfill(
            long records,
            double ingest,
            double scoring,
            double sink,
            double scoringPipelined,
            double sinkPipelined,
            double endToEnd,
            double seconds) {}

    /**
     * The daily close's figures.
     *
     * @param records      series (= forecasts expected)
     * @param totalSeconds from the first message sent to the sink's count of every forecast written
     * @param p50Ms        median per-record latency: from its message's send to the sink's write of its forecast
     * @param p99Ms        99th percentile of it
     * @param maxMs        the slowest record
     * @param ingestSeconds  from the first message sent until ingest had accepted every record (sampled every
     *                       {@value #UPSTREAM_POLL_EVERY} polls)
     * @param scoredSeconds  until scoring had made every forecast (sampled likewise)
     * @param cpuSeconds     CPU seconds of all the stack's processes together from the first message sent until the
     *                       sink had written every forecast
     */
    record DailyClose(
            int records,
            double totalSeconds,
            double p50Ms,
            double p99Ms,
            double maxMs,
            double ingestSeconds,
            double scoredSeconds,
            double cpuSeconds) {}

    /** Ingest's and scoring's counters are read on every this many polls of the sink's: their /metrics cost more. */
    static final int UPSTREAM_POLL_EVERY = 5;

    /**
     * Sends {@code days} days of every series of {@code walks} (as uploads or console messages) and waits until
     * all forecasts are persisted.
     */
    Backfill backfill(RandomWalks walks, int days, ScalePoint.Backfill via) throws InterruptedException {
        long records = (long) walks.series() * days;
        StageTrace trace = stack.trace();
        long start = System.nanoTime();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(
                () -> {
                    while (sampling.get()) {
                        trace.sample();
                        LockSupport.parkNanos(BACKFILL_POLL.toNanos());
                    }
                },
                "bench-stage-trace");
        sampler.setDaemon(true);
        sampler.start();
        try {
            if (via == ScalePoint.Backfill.CONSOLE) {
                List<RandomWalks.DailyPrice> prices = new ArrayList<>();
                for (int s = 0; s < walks.series(); s++) {
                    for (int d = 0; d < days; d++) {
                        prices.add(walks.next(s));
                    }
                }
                publishConsole(prices, new long[prices.size()]);
            } else {
                uploadAll(walks, days);
            }
            long deadline = start + timeout.toNanos();
            long lastReport = System.nanoTime();
            while (trace.latest(SINK) < records) {
                stack.requireAlive();
                if (System.nanoTime() > deadline) {
                    throw stalled("backfill", records, trace);
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(PROGRESS_EVERY_SECONDS)) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format(
                            "  backfill: ingest %,d, scored %,d, persisted %,d of %,d",
                            trace.latest(INGEST), trace.latest(SCORING), trace.latest(SINK), records));
                }
                TimeUnit.MILLISECONDS.sleep(BACKFILL_POLL.toMillis());
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        trace.sample();
        long backlog = Math.max(MIN_BACKLOG, Math.min(MAX_BACKLOG, records / 100));
        double seconds = (trace.reachedAt(SINK, records) - start) / 1e9;
        return new Backfill(
                records,
                trace.pipelinedRate(INGEST, records),
                trace.busyRate(SCORING, records, backlog),
                trace.busyRate(SINK, records, backlog),
                trace.pipelinedRate(SCORING, records),
                trace.pipelinedRate(SINK, records),
                records / seconds,
                seconds);
    }

    private void uploadAll(RandomWalks walks, int days) throws InterruptedException {
        List<String> pending = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        while (next < walks.datasets() || !pending.isEmpty()) {
            while (next < walks.datasets() && pending.size() < uploadsInFlight) {
                pending.add(post(walks, next++, days));
            }
            TimeUnit.MILLISECONDS.sleep(UPLOAD_POLL.toMillis());
            stack.requireAlive();
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String id = it.next();
                JsonNode status = get("/uploads/" + id);
                String state = status.path("status").asText();
                if (state.equals("published")) {
                    long rejected = status.path("counts").path("rejected_total").asLong();
                    if (rejected > 0) {
                        throw new IllegalStateException(
                                "upload " + id + " had " + rejected + " rejected rows: " + status);
                    }
                    it.remove();
                } else if (state.equals("failed")) {
                    throw new IllegalStateException(
                            "upload " + id + " failed: " + status + "; see " + stack.logFile("ingest"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("uploads not published after " + timeout.toMinutes() + " min: "
                        + pending + "; see " + stack.logFile("ingest"));
            }
        }
    }

    /** Posts dataset {@code d}'s series, {@code days} days each, as one CSV upload; returns the upload id. */
    private String post(RandomWalks walks, int d, int days) {
        StringBuilder csv = new StringBuilder(RandomWalks.DailyPrice.CSV_HEADER).append('\n');
        for (int s = walks.firstSeries(d); s < walks.endSeries(d); s++) {
            for (int day = 0; day < days; day++) {
                csv.append(walks.next(s).csv()).append('\n');
            }
        }
        String dataset = walks.dataset(walks.firstSeries(d));
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/uploads?dataset=" + dataset))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString(), StandardCharsets.UTF_8))
                .build();
        JsonNode answer = send(request, 202);
        String id = answer.path("upload_id").asText();
        if (id.isEmpty()) {
            throw new IllegalStateException("upload of dataset " + dataset + " got no upload_id: " + answer);
        }
        return id;
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(stack.ingestUrl() + path)).build(), 200);
    }

    private JsonNode send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> r = stack.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(
                        request.method() + " " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.uri(), e);
        }
    }

    /**
     * The test URL's turnaround: one file of {@code rows} rows of {@code walks}' series (all in one dataset) in the
     * notebook layout, from its POST until the sink has written every forecast of it (acknowledged, hence readable);
     * then the pred URL of the dataset must hold one row per forecast.
     *
     * @return seconds from the POST to the last forecast written
     */
    Turnaround turnaround(RandomWalks walks, int rows) throws InterruptedException {
        StringBuilder csv = new StringBuilder(RandomWalks.DailyPrice.NOTEBOOK_HEADER).append('\n');
        String dataset = walks.dataset(0);
        for (int i = 0; i < rows; i++) {
            RandomWalks.DailyPrice p = walks.next(i % walks.series());
            if (!p.dataset().equals(dataset)) {
                throw new IllegalArgumentException("the turnaround file must be one dataset; " + walks.series()
                        + " series span " + walks.datasets());
            }
            csv.append(p.notebookCsv(i)).append('\n');
        }
        StageTrace trace = stack.sinkTrace();
        StageTrace upstream = stack.upstreamTrace();
        Map<String, Double> cpuAtStart = ResourceSampler.cpuSecondsNow(stack);
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/uploads?dataset=" + dataset))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString(), StandardCharsets.UTF_8))
                .build();
        String id = send(request, 202).path("upload_id").asText();
        awaitWritten("turnaround of upload " + id, rows, start, trace, upstream);
        Map<String, Double> cpu = cpuSince(cpuAtStart);
        upstream.sample();
        double seconds = (trace.reachedAt(SINK, rows) - start) / 1e9;
        long exported = predUrlRows(dataset);
        if (exported != rows) {
            throw new IllegalStateException(
                    "turnaround: the pred URL of dataset " + dataset + " has " + exported + " rows, not " + rows);
        }
        return new Turnaround(
                seconds,
                (upstream.reachedAt(INGEST, rows) - start) / 1e9,
                (upstream.reachedAt(SCORING, rows) - start) / 1e9,
                cpu);
    }

    /**
     * The test URL's turnaround of one file.
     *
     * @param seconds       from its POST until the sink had written every forecast of it
     * @param ingestSeconds until ingest had accepted every record of it (sampled every {@value #UPSTREAM_POLL_EVERY}
     *                      polls)
     * @param scoredSeconds until scoring had made every forecast of it (sampled likewise)
     * @param cpuByComponent CPU seconds of each of the stack's processes meanwhile
     */
    record Turnaround(double seconds, double ingestSeconds, double scoredSeconds, Map<String, Double> cpuByComponent) {

        /** @return CPU seconds of all the stack's processes together */
        double cpuSeconds() {
            return cpuByComponent.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }
    }

    /**
     * Waits until the sink has written {@code n} forecasts since {@code trace} began, sampling ingest's and scoring's
     * counters into {@code upstream} every {@value #UPSTREAM_POLL_EVERY} polls until scoring has made them all.
     *
     * @param what  what is awaited, for the error when it stalls
     * @param start when it began (System.nanoTime); the phase timeout counts from it
     */
    private void awaitWritten(String what, long n, long start, StageTrace trace, StageTrace upstream)
            throws InterruptedException {
        long deadline = start + timeout.toNanos();
        int polls = 0;
        do {
            stack.requireAlive();
            if (System.nanoTime() > deadline) {
                throw stalled(what, n, trace);
            }
            TimeUnit.MILLISECONDS.sleep(STAGE_POLL.toMillis());
            trace.sample();
            if (++polls % UPSTREAM_POLL_EVERY == 0 && upstream.latest(SCORING) < n) {
                upstream.sample();
            }
        } while (trace.latest(SINK) < n);
    }

    /** @return CPU seconds each of the stack's processes used since {@code atStart} was read */
    private Map<String, Double> cpuSince(Map<String, Double> atStart) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        ResourceSampler.cpuSecondsNow(stack).forEach((c, v) -> cpu.put(c, v - atStart.get(c)));
        return cpu;
    }

    /** @return the data rows of a dataset's predictions CSV, as the front end reads it */
    private long predUrlRows(String dataset) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(stack.sinkUrl() + "/predictions.csv?dataset=" + dataset))
                .build();
        try {
            HttpResponse<java.util.stream.Stream<String>> r =
                    stack.http().send(request, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + request.uri() + " answered " + r.statusCode());
            }
            try (java.util.stream.Stream<String> lines = r.body()) {
                return lines.count() - 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.uri(), e);
        }
    }

    /**
     * Publishes the next day of every series on {@code prices.raw} and waits until the sink has written
     * every forecast; then reads each forecast's {@code written_at} back from Cassandra.
     */
    DailyClose dailyClose(RandomWalks walks, CqlSession session) throws InterruptedException {
        int n = walks.series();
        long[] sentAtMillis = new long[n];
        LocalDate[] day = new LocalDate[n];
        StageTrace trace = stack.sinkTrace();
        StageTrace upstream = stack.upstreamTrace();
        List<RandomWalks.DailyPrice> prices = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            prices.add(walks.next(s));
            day[s] = prices.get(s).date();
        }
        Map<String, Double> cpuAtStart = ResourceSampler.cpuSecondsNow(stack);
        long start = publishConsole(prices, sentAtMillis);
        awaitWritten("daily close", n, start, trace, upstream);
        double cpu = cpuSince(cpuAtStart).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        upstream.sample();
        double total = (trace.reachedAt(SINK, n) - start) / 1e9;
        double[] latencies = latenciesMillis(walks, session, sentAtMillis, day);
        return new DailyClose(
                n,
                total,
                Figure.percentile(latencies, 0.5),
                Figure.percentile(latencies, 0.99),
                latencies[latencies.length - 1],
                (upstream.reachedAt(INGEST, n) - start) / 1e9,
                (upstream.reachedAt(SCORING, n) - start) / 1e9,
                cpu);
    }

    /**
     * Sends each price as a console-producer JSON message on {@code prices.raw} ({@code acks=all}), recording each
     * send's wall-clock time; returns the System.nanoTime of the first send.
     */
    private long publishConsole(List<RandomWalks.DailyPrice> prices, long[] sentAtMillis) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < prices.size(); i++) {
                RandomWalks.DailyPrice price = prices.get(i);
                sentAtMillis[i] = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(Topics.PRICES_RAW.name(), price.key(), price.json()));
            }
            producer.flush();
            return start;
        }
    }

    /** Each series' newest forecast must be made from {@code day[s]}; its written_at minus its send time. */
    private double[] latenciesMillis(RandomWalks walks, CqlSession session, long[] sentAtMillis, LocalDate[] day)
            throws InterruptedException {
        PreparedStatement newest = session.prepare(
                "SELECT base_date, lineage FROM " + stack.config().keyspace() + "." + SharedTables.PREDICTIONS_BY_SERIES
                        + " WHERE dataset = ? AND symbol = ? ORDER BY target_date DESC LIMIT 1");
        int n = walks.series();
        double[] latencies = new double[n];
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            int series = s;
            if (s % QUERY_WINDOW == 0) {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            }
            CompletionStage<AsyncResultSet> query =
                    session.executeAsync(newest.bind(walks.dataset(s), walks.symbol(s)));
            all.add(query.thenAccept(rs -> {
                        Row row = rs.one();
                        if (row == null || !day[series].equals(row.getLocalDate("base_date"))) {
                            throw new IllegalStateException("no forecast from " + day[series] + " for "
                                    + walks.dataset(series) + "|" + walks.symbol(series) + " in Cassandra (newest: "
                                    + (row == null ? "none" : row.getLocalDate("base_date")) + ")");
                        }
                        Instant written = Instant.parse(RowLineage.parse(row.getString("lineage"))
                                .path(RowLineage.WRITTEN_AT)
                                .asText());
                        latencies[series] = written.toEpochMilli() - sentAtMillis[series];
                    })
                    .toCompletableFuture()); // the session's throttler bounds the queries in flight
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        Arrays.sort(latencies);
        return latencies;
    }

    private IllegalStateException stalled(String phase, long records, StageTrace trace) {
        trace.sample();
        return new IllegalStateException(String.format(
                "%s: only %,d of %,d forecasts persisted after %d min (since the "
                        + "stack started: ingest accepted %,d, scored %,d, persisted %,d); see %s, %s and %s",
                phase,
                trace.latest(SINK),
                records,
                timeout.toMinutes(),
                stack.ingestAccepted(),
                stack.scored(),
                stack.persisted(),
                stack.logFile("ingest"),
                stack.logFile("scoring"),
                stack.logFile("sink")));
    }
}

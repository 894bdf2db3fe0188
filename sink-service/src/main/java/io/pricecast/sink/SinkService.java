package io.pricecast.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.Gauge;
import io.pricecast.avro.Accuracy;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.avro.UploadVerdicts;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.ServiceMain;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.sink.accuracy.AccuracyMeters;
import io.pricecast.sink.accuracy.AccuracyQueries;
import io.pricecast.sink.chart.ChartBackend;
import io.pricecast.sink.chart.ChartQueries;
import io.pricecast.sink.chart.ChartRoutes;
import io.pricecast.sink.consume.AccuracyHandler;
import io.pricecast.sink.consume.CassandraProbe;
import io.pricecast.sink.consume.ConsumeLoop;
import io.pricecast.sink.consume.ConsumerStatus;
import io.pricecast.sink.consume.DeadLetters;
import io.pricecast.sink.consume.PredictionHandler;
import io.pricecast.sink.consume.PriceHandler;
import io.pricecast.sink.consume.RejectionHandler;
import io.pricecast.sink.consume.SinkMeters;
import io.pricecast.sink.consume.VerdictHandler;
import io.pricecast.sink.cql.AccuracyWrites;
import io.pricecast.sink.cql.LineageQueries;
import io.pricecast.sink.cql.PredictionWrites;
import io.pricecast.sink.cql.PriceWrites;
import io.pricecast.sink.cql.RejectionWrites;
import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.sink.cql.SymbolCatalog;
import io.pricecast.sink.cql.VerdictWrites;
import io.pricecast.sink.export.PredictionsCsvExport;
import io.pricecast.sink.http.SinkBackend;
import io.pricecast.sink.http.SinkHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink-service process: HTTP first (so {@code /health} can say what it waits for), then the one
 * CqlSession, the schema, and the consumer threads: {@code PRICECAST_SINK_SERIES_CONSUMERS} (2) of one group for the
 * series topics scoring writes in one transaction (prices.accepted, predictions, accuracy, and uploads.verdicts), whose
 * rows of a series share a partition key and are written together, and one for prices.rejected. Nothing is read from
 * Cassandra while consuming.
 */
public final class SinkService implements ServiceMain.Running {

    /** What {@code sink-service --help} prints. */
    static final String USAGE = """
            Usage: sink-service
            The topics into Cassandra (prices, forecasts, accuracy, verdicts, refusals), the pred URL, the lineage API
            and the chart. Configured by environment variables: PRICECAST_SINK_PORT (8084), PRICECAST_KAFKA_BOOTSTRAP,
            PRICECAST_REGISTRY_URL, PRICECAST_CASSANDRA_CONTACT, PRICECAST_KEYSPACE and the PRICECAST_SINK_* settings.
            See docs/sink-service.md.""";

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    /** A consumer that has not polled for this long is reported as stuck. */
    static final Duration POLL_STALE_AFTER = Duration.ofSeconds(30);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final SinkSettings settings;
    private final ServiceMetrics serviceMetrics = ServiceMetrics.forService("sink");
    private final SinkMeters metrics = new SinkMeters(serviceMetrics.registry());
    private final SinkHttp http;
    private final List<ConsumeLoop> sinks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile SinkBackend backend;
    private volatile ChartBackend chart;
    private final AccuracyMeters accuracyMeters = new AccuracyMeters(serviceMetrics.registry());
    private volatile CqlSession session;
    private volatile CassandraProbe probe;
    private volatile DeadLetters deadLetters;
    private volatile String startupProblem = "starting: connecting to Cassandra";

    private SinkService(SinkSettings settings) {
        this.settings = settings;
        this.http = new SinkHttp(
                settings.service().httpPort(),
                () -> backend,
                new StatusView(),
                new ChartRoutes(() -> chart),
                serviceMetrics,
                HttpGuard.fromEnvironment(settings.service().env()));
        Gauge.builder(
                        "pricecast.sink.cassandra.up",
                        this,
                        s -> s.probe != null && s.probe.state().up() ? 1 : 0)
                .description("1 while the sink's Cassandra probe gets answers")
                .register(serviceMetrics.registry());
        Gauge.builder("pricecast.sink.writes.max.in.flight", settings, SinkSettings::maxInFlight)
                .description("the bound of writes in flight (PRICECAST_SINK_MAX_IN_FLIGHT)")
                .register(serviceMetrics.registry());
    }

    /**
     * Starts a sink: serves HTTP at once, connects to Cassandra (waiting for it), applies the schema and
     * starts consuming.
     *
     * @param settings the settings
     * @return the running sink
     */
    public static SinkService start(SinkSettings settings) {
        SinkService s = new SinkService(settings);
        try {
            s.connectAndConsume();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * @param args none
     */
    public static void main(String[] args) throws Exception {
        ServiceMain.run("sink-service", USAGE, args, env -> {
            SinkSettings settings = SinkSettings.fromEnvironment(env);
            SinkService sink = start(settings);
            LOG.info(
                    "sink-service {} listening on {}, keyspace {}",
                    CodeVersion.current(),
                    sink.port(),
                    settings.service().keyspace());
            return sink;
        });
    }

    private void connectAndConsume() {
        String keyspace = settings.service().keyspace();
        // waits for Cassandra (/health says so meanwhile); the driver's throttler bounds the session's requests in
        // flight: PRICECAST_SINK_MAX_IN_FLIGHT
        session = CqlSessions.openWaiting(settings.service(), settings.maxInFlight(), serviceMetrics.registry());
        startupProblem = "starting: applying the schema";
        SinkSchema.apply(session, keyspace);
        String version = CodeVersion.current();
        SymbolCatalog symbols = new SymbolCatalog(session, keyspace);
        PredictionWrites predictionWrites = new PredictionWrites(session, keyspace, symbols, version);
        PriceWrites priceWrites = new PriceWrites(session, keyspace, symbols, version);
        RejectionWrites rejectionWrites = new RejectionWrites(session, keyspace);
        AccuracyWrites accuracyWrites = new AccuracyWrites(session, keyspace);
        VerdictWrites verdictWrites = new VerdictWrites(session, keyspace);
        backend = new SinkBackend(
                new PredictionsCsvExport(session, keyspace, symbols),
                new LineageQueries(session, keyspace),
                symbols,
                session);
        PredictionsCsvExport export = backend.export();
        AccuracyQueries accuracyQueries = new AccuracyQueries(session, keyspace);
        chart = new ChartBackend(export, new ChartQueries(session, keyspace), accuracyQueries);
        LOG.info("accuracy figures of {} series loaded for /metrics", accuracyQueries.loadInto(accuracyMeters));
        probe = new CassandraProbe(session);
        probe.start();

        AvroSerdes serdes = settings.service().serdes();
        deadLetters = new DeadLetters(settings.service().kafka(), serdes, settings.rejectedTopic(), version);
        for (int i = 1; i <= settings.seriesConsumers(); i++) {
            // consumers of one group: the range assignor gives each the same partitions of every series topic, so a
            // series' price, forecast and scored forecast still meet in one consumer's batch
            Map<String, ConsumeLoop.Route<?>> series = new LinkedHashMap<>();
            series.put(
                    settings.pricesTopic(),
                    new ConsumeLoop.Route<>(
                            serdes.serde(PriceRecord.class, false).deserializer(), new PriceHandler(priceWrites)));
            series.put(
                    settings.predictionsTopic(),
                    new ConsumeLoop.Route<>(
                            serdes.serde(Prediction.class, false).deserializer(),
                            new PredictionHandler(predictionWrites)));
            series.put(
                    settings.accuracyTopic(),
                    new ConsumeLoop.Route<>(
                            serdes.serde(Accuracy.class, false).deserializer(),
                            new AccuracyHandler(accuracyWrites, accuracyMeters)));
            series.put(
                    settings.verdictsTopic(),
                    new ConsumeLoop.Route<>(
                            serdes.serde(UploadVerdicts.class, false).deserializer(),
                            new VerdictHandler(verdictWrites)));
            sinks.add(sink(
                    SERIES_CONSUMER,
                    settings.seriesConsumers() == 1 ? SERIES_CONSUMER : SERIES_CONSUMER + "-" + i,
                    series));
        }
        sinks.add(sink(
                REJECTIONS_CONSUMER,
                REJECTIONS_CONSUMER,
                Map.of(
                        settings.rejectedTopic(),
                        new ConsumeLoop.Route<>(
                                serdes.serde(RejectedRecord.class, false).deserializer(),
                                new RejectionHandler(rejectionWrites)))));
        for (ConsumeLoop s : sinks) {
            meter(s);
            Thread t = new Thread(s, "sink-" + s.status().name());
            t.start();
            threads.add(t);
        }
        startupProblem = null;
    }

    /** The consumer of the series topics, and its group's suffix. */
    public static final String SERIES_CONSUMER = "series";
    /** The consumer of prices.rejected, and its group's suffix. */
    public static final String REJECTIONS_CONSUMER = "rejections";

    /** A consumer's meters: its Kafka client's, whether it consumes, and its lag at its last poll. */
    private void meter(ConsumeLoop loop) {
        serviceMetrics.kafkaClient(loop.kafkaConsumer());
        String name = loop.status().name();
        Gauge.builder(
                        "pricecast.sink.consumer.consuming",
                        loop,
                        l -> l.status().phase().consuming() ? 1 : 0)
                .description("1 while the consumer consumes (0: starting, Cassandra or the registry down, failed)")
                .tag("consumer", name)
                .register(serviceMetrics.registry());
        for (String topic : loop.status().topics()) {
            Gauge.builder(
                            "pricecast.sink.consumer.lag",
                            loop,
                            l -> l.status().lagByTopic().getOrDefault(topic, -1L))
                    .description("records behind the end of the topic's partitions at the last poll, -1 unknown")
                    .tag("consumer", name)
                    .tag("topic", topic)
                    .register(serviceMetrics.registry());
        }
    }

    private ConsumeLoop sink(String group, String name, Map<String, ConsumeLoop.Route<?>> routes) {
        return new ConsumeLoop(
                name,
                routes,
                settings.service().kafka(),
                settings.groupPrefix() + "-" + group,
                settings.maxPollRecords(),
                settings.maxBatchRows(),
                settings.maxRequestKb() * 1024,
                session,
                deadLetters,
                metrics,
                settings.retryBackoffMax());
    }

    /** @return the HTTP port */
    public int port() {
        return http.port();
    }

    /** @return the sink's write meters */
    public SinkMeters meters() {
        return metrics;
    }

    /** @return the registry served on /metrics */
    public ServiceMetrics metrics() {
        return serviceMetrics;
    }

    /** @return null when healthy, otherwise why not (what {@code /health} answers with 503) */
    public String unhealthyReason() {
        if (startupProblem != null) {
            return startupProblem;
        }
        List<String> problems = new ArrayList<>();
        CassandraProbe.State cassandra = probe.state();
        if (!cassandra.up()) {
            problems.add(cassandra.detail() + " since " + cassandra.since());
        }
        Instant stale = Instant.now().minus(POLL_STALE_AFTER);
        for (ConsumeLoop s : sinks) {
            ConsumerStatus st = s.status();
            if (!st.phase().consuming()) {
                problems.add(st.name() + ": " + st.phase() + (st.detail() == null ? "" : " (" + st.detail() + ")"));
            } else if (st.lastPollAt().isBefore(stale)) {
                problems.add(st.name() + ": no poll since " + st.lastPollAt());
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** A consumer that failed stays stopped (its records are replayed at the next start): only a restart helps. */
    public Optional<String> fatalReason() {
        return sinks.stream()
                .map(ConsumeLoop::status)
                .filter(st -> st.phase() == ConsumerStatus.Phase.FAILED)
                .map(st -> st.name() + " failed: " + st.detail())
                .findFirst();
    }

    private final class StatusView implements SinkBackend.Status {
        @Override
        public String unhealthyReason() {
            return SinkService.this.unhealthyReason();
        }

        @Override
        public Optional<String> fatalReason() {
            return SinkService.this.fatalReason();
        }

        @Override
        public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code_version", CodeVersion.current());
            m.put("rows_written", metrics.rowsWritten());
            m.put("dead_lettered", metrics.deadLettered());
            m.put("write_retries", metrics.writeRetries());
            m.put("requests_written", metrics.requestsWritten());
            m.put("batches_committed", metrics.batchesCommitted());
            m.put("writes_throttled", metrics.writesThrottled());
            m.put("in_flight", metrics.writesInFlight());
            m.put("max_in_flight", settings.maxInFlight());
            CassandraProbe p = probe;
            m.put(
                    "cassandra",
                    p == null
                            ? Map.of("up", false, "detail", "connecting")
                            : Map.of(
                                    "up",
                                    p.state().up(),
                                    "detail",
                                    p.state().detail(),
                                    "since",
                                    p.state().since().toString()));
            List<Map<String, Object>> consumers = new ArrayList<>();
            for (ConsumeLoop s : sinks) {
                ConsumerStatus st = s.status();
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", st.name());
                c.put("topics", st.topics());
                c.put("phase", st.phase().name());
                c.put("detail", st.detail());
                c.put("lag", st.lag());
                c.put("lag_by_topic", st.lagByTopic());
                c.put("last_poll_at", st.lastPollAt().toString());
                consumers.add(c);
            }
            m.put("consumers", consumers);
            m.put("accuracy", accuracyMeters.status());
            return m;
        }
    }

    /** Stops consuming (the current batches finish or are abandoned uncommitted), then HTTP and the session. */
    @Override
    public void close() {
        sinks.forEach(ConsumeLoop::close);
        for (Thread t : threads) {
            try {
                t.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (probe != null) {
            probe.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        http.close();
        if (session != null) {
            session.close();
        }
        serviceMetrics.close();
    }
}

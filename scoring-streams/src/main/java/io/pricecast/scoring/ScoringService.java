package io.pricecast.scoring;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.runtime.ServiceMain;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.scoring.http.ScoringHttp;
import io.pricecast.scoring.metrics.ScoringMeters;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.scoring.topology.ScoringTopology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring application's process: the Streams application, its HTTP endpoints, graceful shutdown on
 * SIGTERM. Local state is kept across restarts (no {@code cleanUp()}): a restart restores only what changed.
 */
public final class ScoringService implements ServiceMain.Running {

    /** How long a graceful shutdown may take to commit and close. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** What {@code scoring-streams --help} prints. */
    static final String USAGE = """
            Usage: scoring-streams
            The Kafka Streams application: history rules, per-series windows, forecasts for D+1 with lineage, accuracy
            and upload verdicts. Configured by environment variables: PRICECAST_SCORING_PORT (8083),
            PRICECAST_KAFKA_BOOTSTRAP, PRICECAST_REGISTRY_URL, PRICECAST_SCORING_ENGINE (auto) and the other
            PRICECAST_SCORING_* settings. See docs/scoring-streams.md.""";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

    private final ScoringConfig config;
    private final ServiceMetrics metrics;
    private final ScoringResources resources;
    private final KafkaStreams streams;
    private final AtomicBoolean everRunning = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch firstRunning = new CountDownLatch(1);
    private ScoringHttp http;

    private ScoringService(ScoringConfig config) {
        this.config = config;
        // one forward-pass thread per stream thread: a stream thread's batches are scored beside it
        this.metrics = ServiceMetrics.forService("scoring");
        this.resources = ScoringResources.create(
                config.engine(),
                config.maxBatch() > 1 ? config.streamThreads() : 0,
                new ScoringMeters(metrics.registry()));
        this.streams = new KafkaStreams(ScoringTopology.build(config, resources), config.streamsProperties());
        metrics.bind(new KafkaStreamsMetrics(
                streams, Tags.empty(), ServiceMetrics.kafkaScheduler(), ServiceMetrics.KAFKA_REFRESH));
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                everRunning.set(true);
                firstRunning.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                failed.set(true);
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a stream thread failed; shutting the application down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * Starts the Streams application and the HTTP endpoints, with the default HTTP hardening.
     *
     * @param config   the application's configuration
     * @param httpPort the HTTP port, 0 for any free one
     * @return the running service
     */
    public static ScoringService start(ScoringConfig config, int httpPort) {
        return start(config, httpPort, HttpGuard.fromEnvironment(Map.of()));
    }

    /**
     * Starts the Streams application and the HTTP endpoints guarded by {@code guard}.
     *
     * @param config   the application's configuration
     * @param httpPort the HTTP port, 0 for any free one
     * @param guard    the HTTP hardening
     * @return the running service
     */
    public static ScoringService start(ScoringConfig config, int httpPort, HttpGuard guard) {
        ScoringService service = new ScoringService(config);
        try {
            return service.run(httpPort, guard);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private ScoringService run(int httpPort, HttpGuard guard) {
        LOG.info(
                "scoring {} -> {} (rejections to {}, models from {}), application {}, {} thread(s), {} standby(s), "
                        + "batch {}, engine {}, code {}",
                config.inputTopic(),
                config.predictionsTopic(),
                config.rejectedTopic(),
                config.modelsTopic(),
                config.applicationId(),
                config.streamThreads(),
                config.standbyReplicas(),
                config.maxBatch(),
                config.engine(),
                config.codeVersion());
        streams.start();
        http = new ScoringHttp(streams, this::healthy, metrics, guard).start(httpPort);
        LOG.info("scoring HTTP on port {}", http.port());
        return this;
    }

    /**
     * Healthy while running; a rebalance after the application has run once is normal operation, so it stays
     * healthy through it. Before the first RUNNING (start-up restoration) and after a failure it is not.
     */
    public boolean healthy() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING && everRunning.get();
    }

    /** The HTTP port listened on (after {@link #start}). */
    public int httpPort() {
        return http.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ScoringResources resources() {
        return resources;
    }

    /** Blocks until the application first reached RUNNING; false when {@code timeout} passed first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return firstRunning.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Blocks until the application stopped; true when it failed. */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("closing the scoring application");
        try {
            if (http != null) {
                http.close();
            }
        } finally {
            try {
                streams.close(CLOSE_TIMEOUT);
                resources.close();
                metrics.close();
            } catch (Exception e) {
                LOG.error("closing the scoring application's resources failed", e);
            } finally {
                stopped.countDown();
            }
        }
    }

    /** @return when the Streams application stopped: true when it died, false when it was closed */
    @Override
    public boolean awaitFailure() throws InterruptedException {
        return awaitStop();
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run("scoring-streams", USAGE, args, env -> {
            ServiceSettings settings = ServiceSettings.fromEnvironment(env, "PRICECAST_SCORING_PORT", 8083, "scoring");
            ScoringConfig config =
                    ScoringConfig.fromSettings(settings, RecordSerdes.of(settings.serdes()), CodeVersion.current());
            return start(config, settings.httpPort(), HttpGuard.fromEnvironment(env));
        });
    }
}

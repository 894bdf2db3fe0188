package io.pricecast.bench;

import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.schemas.SharedTables;
import io.pricecast.schemas.Topics;
import io.pricecast.stack.Component;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole local stack of the bench: Kafka, the schema registry, Cassandra and the three services as
 * child processes under a state directory of its own and on free loopback ports, exactly as
 * {@code ./pricecast up} runs them (services from their modules' build output). Stopped on close and
 * by a shutdown hook.
 */
final class BenchStack implements AutoCloseable {

    /** Component names, in start order. */
    static final List<String> COMPONENTS = List.of("kafka", "registry", "cassandra", "ingest", "scoring", "sink");
    /** The pricecast services among them. */
    static final List<String> SERVICES = List.of("ingest", "scoring", "sink");

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final LocalStack stack;
    private final Thread shutdownHook;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

    private BenchStack(LocalStack stack) {
        this.stack = stack;
        this.shutdownHook = new Thread(stack::down, "bench-stack-down");
    }

    /**
     * Starts every component and waits until each is healthy.
     *
     * @param home     a fresh state directory
     * @param repoRoot the repository whose built services run
     * @param progress where the start-up lines go
     * @return the running stack
     * @throws StackException when a component cannot start or a service is not built
     */
    static BenchStack start(Path home, Path repoRoot, Consumer<String> progress) {
        LocalStack stack = new LocalStack(StackConfig.forTests(home, new PortAllocator()), progress, repoRoot);
        List<String> present = stack.components().stream().map(Component::name).toList();
        if (!present.containsAll(COMPONENTS)) {
            throw new StackException("the bench needs every service built (found " + present + " under " + repoRoot
                    + "); run ./pricecast build");
        }
        BenchStack bench = new BenchStack(stack);
        Runtime.getRuntime().addShutdownHook(bench.shutdownHook);
        try {
            stack.up();
            for (String name : COMPONENTS) {
                bench.processes.put(
                        name,
                        stack.processes(name).stream()
                                .findFirst()
                                .orElseThrow(() -> new StackException(name + " is not running after start-up; see "
                                        + stack.component(name).logFile())));
            }
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
        return bench;
    }

    /** @return the stack's configuration (ports, heaps, partitions) */
    StackConfig config() {
        return stack.config();
    }

    /** @return the process of a component */
    ProcessHandle process(String component) {
        return processes.get(component);
    }

    /**
     * @throws IllegalStateException naming the component and its log when one of them has exited (a service
     *         that ran out of memory exits at once), so the bench stops instead of waiting for its timeout
     */
    void requireAlive() {
        for (Map.Entry<String, ProcessHandle> e : processes.entrySet()) {
            if (!e.getValue().isAlive()) {
                throw new IllegalStateException(
                        e.getKey() + " (pid " + e.getValue().pid() + ") has exited; see " + logFile(e.getKey()));
            }
        }
    }

    /** @return the log file of a component */
    Path logFile(String component) {
        return stack.component(component).logFile();
    }

    /** @return records ingest accepted and published so far (uploads and console) */
    long ingestAccepted() {
        return sum(config().ingestPort(), "pricecast_records_in_total", "outcome", "accepted");
    }

    /** @return predictions the scoring application produced so far */
    long scored() {
        return sum(config().scoringPort(), "pricecast_forecasts_scored_total");
    }

    /** @return forecasts the sink has written to {@code predictions_by_series} so far (acknowledged rows) */
    long persisted() {
        return sum(
                config().sinkPort(), "pricecast_sink_rows_written_total", "table", SharedTables.PREDICTIONS_BY_SERIES);
    }

    /** @return scoring's consumer lag on prices.clean (Streams' records-lag, summed over partitions) */
    long scoringLag() {
        return sum(
                config().scoringPort(),
                "kafka_consumer_fetch_manager_records_lag",
                "topic",
                Topics.PRICES_CLEAN.name());
    }

    /** @return the sink's consumer lag on the predictions topic, over its consumers */
    long sinkLag() {
        long lag = 0;
        for (double c : metrics(config().sinkPort(), "pricecast_sink_consumer_lag")
                .sumBy("pricecast_sink_consumer_lag", "consumer", "topic", Topics.PREDICTIONS.name())
                .values()) {
            lag += Math.max(0, (long) c);
        }
        return lag;
    }

    /** @return a trace of every stage's counter and the consumer lags before scoring and the sink */
    StageTrace trace() {
        return new StageTrace(
                List.of(this::ingestAccepted, this::scoringLag, this::scored, this::sinkLag, this::persisted),
                System::nanoTime);
    }

    /** @return a trace of the sink's counter only (the others stay 0): light enough to sample every few ms */
    StageTrace sinkTrace() {
        return new StageTrace(List.of(() -> 0, () -> 0, () -> 0, () -> 0, this::persisted), System::nanoTime);
    }

    /** @return a trace of ingest's and scoring's counters only (the others stay 0) */
    StageTrace upstreamTrace() {
        return new StageTrace(List.of(this::ingestAccepted, () -> 0, this::scored, () -> 0, () -> 0), System::nanoTime);
    }

    /** @return whether the stack has a component (or added instance) of this name, i.e. whether its module is built */
    boolean has(String component) {
        try {
            stack.component(component);
            return true;
        } catch (StackException e) {
            return false;
        }
    }

    /** @return the live process of a component or added instance, if it runs */
    java.util.Optional<ProcessHandle> liveProcess(String component) {
        return stack.processes(component).stream().findFirst();
    }

    /**
     * Adds a further instance of a service on a free loopback port and starts it (waits until it is healthy); it is
     * stopped by {@link #stopInstance} or with the stack.
     *
     * @param service          the service ("predict", ...)
     * @param instanceName     the instance's component name
     * @param extraEnvironment variables on top of the service's environment
     * @return the instance's port
     * @throws StackException when it cannot start
     */
    int startInstance(String service, String instanceName, Map<String, String> extraEnvironment) {
        int port = new PortAllocator().next();
        stack.addServiceInstance(service, instanceName, port, extraEnvironment);
        stack.start(instanceName);
        return port;
    }

    /**
     * Stops an instance started by {@link #startInstance} (SIGTERM, then SIGKILL after the stop timeout).
     *
     * @return the pids that had to be killed
     */
    List<Long> stopInstance(String instanceName) {
        return stack.stop(instanceName);
    }

    /** @return the base URL of the predict service */
    String predictUrl() {
        return "http://127.0.0.1:" + config().predictPort();
    }

    /** @return the base URL of the ingest service */
    String ingestUrl() {
        return "http://127.0.0.1:" + config().ingestPort();
    }

    /** @return the base URL of the sink (the pred URL's service) */
    String sinkUrl() {
        return "http://127.0.0.1:" + config().sinkPort();
    }

    /** @return the HTTP client the bench uses */
    HttpClient http() {
        return http;
    }

    /** @return the sum of one sample's values whose labels include {@code labels}, from a service's /metrics */
    private long sum(int port, String name, String... labels) {
        return (long) metrics(port, name).sum(name, labels);
    }

    /**
     * One sample name of a service's {@code /metrics}: the bench polls many times a second, and a narrowed scrape
     * keeps that from costing the service the thousands of samples of a whole one.
     */
    private PrometheusText metrics(int port, String name) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics?name%5B%5D=" + name))
                            .timeout(HTTP_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET /metrics on port " + port + " answered " + r.statusCode() + ": " + r.body());
            }
            return PrometheusText.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /metrics on port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading metrics", e);
        }
    }

    @Override
    public void close() {
        stack.down();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs down() itself, which is idempotent
        }
    }
}

package io.pricecast.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one service process, in one Micrometer registry served on {@code /metrics} in Prometheus' text format.
 *
 * <p>Every meter carries the tag {@code service} (ingest, scoring, sink, models, predict). pricecast's own meters are
 * named {@code pricecast.*} (Prometheus: {@code pricecast_*}, counters ending {@code _total}), with the tags
 * {@code dataset}, {@code model_version} and {@code outcome} where they make sense; the JVM's ({@code jvm_*},
 * {@code process_*}, {@code system_*}), Kafka clients' ({@code kafka_*}) and the Cassandra driver's
 * ({@code cassandra_*}) keep their binders' names. docs/metrics.md lists them.
 */
public final class ServiceMetrics implements AutoCloseable {

    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The tag naming the process's service. */
    public static final String SERVICE_TAG = "service";

    /**
     * How often a Kafka client's binding looks for metrics the client created since (a partition assigned, a task
     * moved): Micrometer's default is a minute, which leaves a new partition's lag unseen that long.
     */
    public static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);
    /** What a sample's name adds to its metric's: Micrometer filters a scrape by the metric's name. */
    private static final List<String> SAMPLE_SUFFIXES = List.of("_total", "_count", "_sum", "_bucket", "_max");

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> bound = new ArrayList<>();

    private ServiceMetrics(String service) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(SERVICE_TAG, service);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bind(new JvmGcMetrics());
    }

    /**
     * @param service the service's name, the {@value #SERVICE_TAG} tag of every meter
     * @return a registry with the JVM's and the process's meters bound
     */
    public static ServiceMetrics forService(String service) {
        return new ServiceMetrics(service);
    }

    /** @return where the service registers its meters */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Binds meters that must be released with the client they read (a Kafka client's, Kafka Streams'): they are
     * closed with this registry, or earlier by the caller.
     *
     * @return {@code binder}, bound
     */
    public synchronized <T extends MeterBinder & AutoCloseable> T bind(T binder) {
        binder.bindTo(registry);
        bound.add(binder);
        return binder;
    }

    /**
     * Binds a Kafka client's own metrics ({@code kafka_producer_*}, {@code kafka_consumer_*},
     * {@code kafka_admin_client_*}, tagged with the client id, topic and partition where Kafka has them).
     *
     * @return the binding: close it when the client closes before the service does
     */
    public Binding kafkaClient(Object client) {
        KafkaClientMetrics binding;
        if (client instanceof Producer<?, ?> p) {
            binding = new KafkaClientMetrics(p, Tags.empty(), kafkaScheduler(), KAFKA_REFRESH);
        } else if (client instanceof Consumer<?, ?> c) {
            binding = new KafkaClientMetrics(c, Tags.empty(), kafkaScheduler(), KAFKA_REFRESH);
        } else if (client instanceof AdminClient a) {
            binding = new KafkaClientMetrics(a, Tags.empty(), kafkaScheduler(), KAFKA_REFRESH);
        } else {
            throw new IllegalArgumentException("no Kafka client: " + client);
        }
        bind(binding);
        return () -> release(binding);
    }

    /**
     * @return a scheduler for one Kafka binding's refreshes (a binding shuts its scheduler down when closed, so
     *         bindings cannot share one): one daemon thread
     */
    public static ScheduledExecutorService kafkaScheduler() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-meters");
            t.setDaemon(true);
            return t;
        });
    }

    /** Meters bound to a client: closing removes them. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    private synchronized void release(AutoCloseable binding) {
        if (bound.remove(binding)) {
            closeQuietly(binding);
        }
    }

    private static void closeQuietly(AutoCloseable binding) {
        try {
            binding.close();
        } catch (Exception e) {
            LOG.warn("closing the meters of {} failed: {}", binding.getClass().getSimpleName(), e.toString());
        }
    }

    /** @return every meter in Prometheus' text format ({@link #CONTENT_TYPE}) */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * A scrape of a few metrics, for a client that polls often (the bench, many times a second): the whole scrape of
     * a Streams application holds thousands of samples.
     *
     * @param names sample names ({@code pricecast_forecasts_scored_total}) or metric names
     *              ({@code pricecast_forecasts_scored}), as Prometheus' {@code name[]} filter
     * @return those metrics (every sample of their families) in Prometheus' text format
     */
    public String scrape(Set<String> names) {
        Set<String> families = new HashSet<>(names);
        for (String name : names) {
            for (String suffix : SAMPLE_SUFFIXES) {
                if (name.endsWith(suffix)) {
                    families.add(name.substring(0, name.length() - suffix.length()));
                }
            }
        }
        return registry.scrape(CONTENT_TYPE, families);
    }

    @Override
    public synchronized void close() {
        bound.forEach(ServiceMetrics::closeQuietly);
        bound.clear();
        registry.close();
    }
}

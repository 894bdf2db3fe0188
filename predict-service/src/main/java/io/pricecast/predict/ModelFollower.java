package io.pricecast.predict;

import io.pricecast.avro.ModelEvent;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.model.serving.ModelCache;
import io.pricecast.runtime.KafkaAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code models} topic the way scoring does, with a plain consumer of no group (every replica
 * reads the whole topic; nothing is committed, so the service keeps no state): {@code version:<id>} events carry the
 * bundles, {@code active} names the version that answers. Until the topic has been read to its end once, no model is
 * known and requests get 503; while no version was ever promoted the classpath default answers, as in scoring.
 *
 * <p>Models load on first use through the shared {@link ModelCache}, which verifies each bundle's content against its
 * published sha256 and refuses (and remembers) one that does not match.
 */
final class ModelFollower implements AutoCloseable {

    static final String ACTIVE_KEY = "active";
    static final String VERSION_KEY_PREFIX = "version:";
    /** Largest bundle on the topic (the registry's limit). */
    static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, ModelEvent> consumer;
    private final TopicPartition partition;
    private final ModelCache cache;
    private final Map<String, ModelEvent> published = new ConcurrentHashMap<>();
    private volatile ModelEvent active;
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile String activeLogged;

    /**
     * @param kafka  the brokers and their security settings
     * @param topic  the models topic (one partition)
     * @param values the {@code ModelEvent} deserializer (registry Avro)
     * @param cache  where models load
     */
    ModelFollower(KafkaAccess kafka, String topic, Deserializer<ModelEvent> values, ModelCache cache) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BUNDLE_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_BUNDLE_BYTES);
        p.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "predict-models-" + ProcessHandle.current().pid());
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), values);
        this.partition = new TopicPartition(topic, 0);
        this.cache = cache;
        this.thread = new Thread(this::follow, "models-follower");
        this.thread.setDaemon(true);
    }

    /** @return the Kafka consumer, for its client meters */
    Object kafkaConsumer() {
        return consumer;
    }

    /** Starts reading the topic from its beginning, in the background. */
    ModelFollower start() {
        thread.start();
        return this;
    }

    /** @return whether the topic has been read to its end once (before that nothing answers) */
    boolean ready() {
        return caughtUp.get();
    }

    /** @return the version that answers now, with its model; empty before the topic is read */
    Optional<LoadedModel> active() {
        if (!ready()) {
            return Optional.empty();
        }
        ModelEvent pointer = active;
        if (pointer == null) {
            return Optional.of(cache.defaultModel());
        }
        Optional<LoadedModel> model = load(pointer.getVersion(), pointer.getSha256());
        if (model.isEmpty()) {
            LOG.error("active model {} cannot be used (not published, or refused)", pointer.getVersion());
        }
        return model;
    }

    /** @return a published version (or the default) by its id; empty when no verified bundle has that id */
    Optional<LoadedModel> version(String version) {
        if (!ready()) {
            return Optional.empty();
        }
        ModelEvent event = published.get(version);
        if (event == null) {
            LoadedModel fallback = cache.defaultModel();
            return fallback.version().equals(version) ? Optional.of(fallback) : Optional.empty();
        }
        return load(version, event.getSha256());
    }

    /** @return the versions that can be named, sorted (the default included) */
    List<String> versions() {
        TreeMap<String, Boolean> all = new TreeMap<>();
        published.keySet().forEach(v -> all.put(v, true));
        all.put(cache.defaultModel().version(), true);
        return List.copyOf(all.keySet());
    }

    private Optional<LoadedModel> load(String version, String sha256) {
        Optional<LoadedModel> known = cache.find(version, sha256);
        if (known.isPresent()) {
            return known;
        }
        ModelEvent event = published.get(version);
        if (event == null || event.getBundle() == null || !event.getSha256().equals(sha256)) {
            return Optional.empty();
        }
        return cache.published(version, sha256, event.getBundle());
    }

    private void follow() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = -1;
            while (running.get()) {
                if (!caughtUp.get() && end < 0) {
                    try {
                        end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10))
                                .get(partition);
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        LOG.warn(
                                "the models topic {} cannot be read yet ({}); no model answers until it can",
                                partition,
                                e.getMessage());
                        continue;
                    }
                }
                for (ConsumerRecord<String, ModelEvent> r : consumer.poll(POLL)) {
                    apply(r.key(), r.value());
                }
                if (!caughtUp.get() && consumer.position(partition) >= end) {
                    caughtUp.set(true);
                    LOG.info(
                            "models topic {} read to offset {}: {} published versions, active {}",
                            partition,
                            end,
                            published.size(),
                            active == null ? "the default" : active.getVersion());
                    logActive();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("following the models topic failed; the service keeps the models it knows", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(String key, ModelEvent event) {
        if (key == null) {
            return;
        }
        if (key.equals(ACTIVE_KEY)) {
            active = event;
            if (caughtUp.get()) {
                logActive();
            }
        } else if (key.startsWith(VERSION_KEY_PREFIX)) {
            String version = key.substring(VERSION_KEY_PREFIX.length());
            if (event == null) {
                published.remove(version);
            } else {
                published.put(version, event);
            }
        }
    }

    private void logActive() {
        String now = active == null ? "default" : active.getVersion() + "@" + active.getSha256();
        if (!now.equals(activeLogged)) {
            activeLogged = now;
            LOG.info("answering with model {}", active == null ? "the classpath default" : now);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}

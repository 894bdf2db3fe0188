package io.pricecast.trainer.registry;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.ModelEventKind;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.runtime.KafkaAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The model registry on the compacted {@code models} topic (one partition, so its order is global), which the
 * scoring application already follows live:
 * <ul>
 *   <li>{@code version:<id>}: the PUBLISHED event carrying the bundle bytes and content sha256 (kept by compaction
 *       for as long as the version exists);</li>
 *   <li>{@code active}: the newest PROMOTED / ROLLED_BACK event (what scoring uses);</li>
 *   <li>{@code audit:<epoch millis>:<uuid>}: a copy of every PROMOTED / ROLLED_BACK event under a key of its own,
 *       so compaction keeps the whole audit trail forever (who, when, why, from, to).</li>
 * </ul>
 * The audit copy and the pointer are written in one Kafka transaction: both or neither.
 */
public final class ModelRegistry implements AutoCloseable {

    public static final String ACTIVE_KEY = "active";
    public static final String VERSION_KEY_PREFIX = "version:";
    public static final String AUDIT_KEY_PREFIX = "audit:";
    /** Largest bundle the registry writes (10,000 symbols of scalers are ~2 MB); the topic must allow it. */
    public static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Properties base;
    private final Serde<ModelEvent> serde;
    private final Clock clock;
    private final ModelBundle defaultBundle;
    private KafkaProducer<String, ModelEvent> producer;

    /**
     * @param bootstrap Kafka bootstrap servers (no authentication)
     * @param topic     the models topic
     * @param serde     the ModelEvent value serde (registry-backed Avro)
     */
    public ModelRegistry(String bootstrap, String topic, Serde<ModelEvent> serde, Clock clock) {
        this(KafkaAccess.plaintext(bootstrap), topic, serde, clock);
    }

    /**
     * @param kafka the brokers and their security (SASL) settings
     * @param topic the models topic
     * @param serde the ModelEvent value serde (registry-backed Avro)
     */
    public ModelRegistry(KafkaAccess kafka, String topic, Serde<ModelEvent> serde, Clock clock) {
        this.topic = topic;
        this.serde = serde;
        this.clock = clock;
        this.base = kafka.properties();
        try {
            this.defaultBundle = KerasImport.firstBundle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default model bundle", e);
        }
    }

    /** The classpath default (active while no version was ever promoted). */
    public ModelBundle defaultBundle() {
        return defaultBundle;
    }

    /** Reads the whole topic (committed records only) up to its current end. */
    public RegistryState read() {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BUNDLE_BYTES);
        Map<String, ModelEvent> latest = new LinkedHashMap<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, ModelEvent> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), serde.deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading topic " + topic + " did not reach offset " + end + " in "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, ModelEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    latest.remove(r.key());
                    if (r.value() != null) {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        Map<String, ModelEvent> published = new LinkedHashMap<>();
        List<ModelEvent> audit = new ArrayList<>();
        for (Map.Entry<String, ModelEvent> e : latest.entrySet()) {
            if (e.getKey().startsWith(VERSION_KEY_PREFIX)) {
                published.put(e.getValue().getVersion(), e.getValue());
            } else if (e.getKey().startsWith(AUDIT_KEY_PREFIX)) {
                audit.add(e.getValue());
            }
        }
        audit.sort(java.util.Comparator.comparing(ModelEvent::getAt));
        return new RegistryState(
                published,
                Optional.ofNullable(latest.get(ACTIVE_KEY)),
                audit,
                defaultBundle.metadata().versionId(),
                defaultBundle.contentSha256());
    }

    /**
     * Publishes a bundle under its version id (it does not become active).
     *
     * @throws IllegalArgumentException when the version exists with other content, or is the default's id
     */
    public ModelEvent publish(ModelBundle bundle, String actor, String reason) {
        String version = bundle.metadata().versionId();
        RegistryState state = read();
        Optional<String> known = state.sha256Of(version);
        if (known.isPresent() && !known.get().equals(bundle.contentSha256())) {
            throw new IllegalArgumentException("version " + version + " already exists with content sha256 "
                    + known.get() + "; publish under a new version id");
        }
        byte[] bytes = bundle.toBytes();
        if (bytes.length > MAX_BUNDLE_BYTES) {
            throw new IllegalArgumentException(
                    "bundle " + version + " is " + bytes.length + " bytes, more than " + MAX_BUNDLE_BYTES);
        }
        ModelEvent event = ModelEvent.newBuilder()
                .setKind(ModelEventKind.PUBLISHED)
                .setVersion(version)
                .setSha256(bundle.contentSha256())
                .setBundle(ByteBuffer.wrap(bytes))
                .setPreviousVersion(null)
                .setActor(actor)
                .setReason(reason)
                .setAt(clock.instant())
                .build();
        send(List.of(new ProducerRecord<>(topic, 0, VERSION_KEY_PREFIX + version, event)));
        return event;
    }

    /** Makes a published version (or the default) active. */
    public ModelEvent promote(String version, String actor, String reason) {
        return activate(ModelEventKind.PROMOTED, version, actor, reason);
    }

    /**
     * Returns to an earlier version: {@code toVersion}, or when empty the version that was active before the
     * current one.
     *
     * @throws IllegalStateException when nothing was ever promoted and no target is named
     */
    public ModelEvent rollback(Optional<String> toVersion, String actor, String reason) {
        RegistryState state = read();
        String target = toVersion.orElseGet(() -> state.active()
                .map(ModelEvent::getPreviousVersion)
                .filter(v -> v != null && !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("nothing to roll back: " + state.activeVersion()
                        + " has been active from the start; name a version with --to")));
        return activate(ModelEventKind.ROLLED_BACK, target, actor, reason);
    }

    private ModelEvent activate(ModelEventKind kind, String version, String actor, String reason) {
        RegistryState state = read();
        String sha256 = state.sha256Of(version)
                .orElseThrow(() -> new IllegalArgumentException("unknown model version "
                        + version + "; published: "
                        + String.join(", ", state.published().keySet()) + " (default "
                        + state.defaultVersion() + ")"));
        if (version.equals(state.activeVersion()) && sha256.equals(state.activeSha256())) {
            throw new IllegalStateException("version " + version + " is already active");
        }
        ModelEvent event = ModelEvent.newBuilder()
                .setKind(kind)
                .setVersion(version)
                .setSha256(sha256)
                .setBundle(null)
                .setPreviousVersion(state.activeVersion())
                .setActor(actor)
                .setReason(reason)
                .setAt(clock.instant())
                .build();
        String auditKey =
                AUDIT_KEY_PREFIX + String.format("%013d", event.getAt().toEpochMilli()) + ":" + UUID.randomUUID();
        send(List.of(
                new ProducerRecord<>(topic, 0, auditKey, event), new ProducerRecord<>(topic, 0, ACTIVE_KEY, event)));
        return event;
    }

    /** The bundle of a published version (or the default), verified against its recorded sha256. */
    public ModelBundle bundle(RegistryState state, String version) {
        if (version.equals(state.defaultVersion()) && !state.published().containsKey(version)) {
            return defaultBundle;
        }
        ModelEvent event = state.published().get(version);
        if (event == null || event.getBundle() == null) {
            throw new IllegalArgumentException("unknown model version " + version);
        }
        byte[] bytes = new byte[event.getBundle().remaining()];
        event.getBundle().duplicate().get(bytes);
        try {
            ModelBundle bundle = ModelBundle.read(new ByteArrayInputStream(bytes), "model " + version);
            if (!bundle.contentSha256().equals(event.getSha256())) {
                throw new IllegalStateException("model " + version + ": content sha256 " + bundle.contentSha256()
                        + " differs from the published " + event.getSha256());
            }
            return bundle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void send(List<ProducerRecord<String, ModelEvent>> records) {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(base);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "pricecast-models-" + UUID.randomUUID());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BUNDLE_BYTES + 65_536);
            producer = new KafkaProducer<>(p, new StringSerializer(), serde.serializer());
            producer.initTransactions();
        }
        try {
            producer.beginTransaction();
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, ModelEvent> r : records) {
                sent.add(producer.send(r));
            }
            producer.commitTransaction();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } catch (KafkaException e) {
            producer.abortTransaction();
            throw new IllegalStateException("cannot write to topic " + topic + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write to topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing to topic " + topic, e);
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(TIMEOUT);
        }
    }
}

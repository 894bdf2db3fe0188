package io.pricecast.ingest.console;

import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.publish.Lineage;
import io.pricecast.ingest.publish.ProducerSettings;
import io.pricecast.ingest.publish.RecordFactory;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.message.MessageParser;
import io.pricecast.input.message.ParsedMessage;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.LogContext;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.schemas.SeriesKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console-producer intake: consumes the raw topic (one JSON object or CSV line per message), checks
 * each record with price-input's {@link MessageParser}, and publishes clean and rejected records with raw
 * topic/partition/offset lineage, exactly once: consume-transform-produce in transactions of at most one poll and
 * {@link #TRANSACTION_TIME}, input
 * offsets committed with {@code sendOffsetsToTransaction}, output read with {@code read_committed}.
 *
 * <p>It keeps no series history and reads nothing from Cassandra: whether a day is new, a repeat or older than
 * its series' newest is judged by scoring, against the series store it keeps inside its own transaction
 * (docs/ingest-rules.md, "History rules"). Series of console messages are keyed by the bare ticker.
 */
public final class ConsoleIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleIntake.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);
    private static final int FETCH_MAX_WAIT_MS = 20;
    /** Messages per poll: its fetch's round trips are shared by this many records. */
    static final int MAX_POLL_RECORDS = 5_000;
    /**
     * A transaction is committed once it has been open this long, and at the end of each poll: what it published
     * becomes visible to scoring ({@code read_committed}) in steps this short rather than a whole poll at a time, so
     * a daily close flows through scoring while the intake still works on it, and a commit's round trips are still
     * shared by many records.
     */
    static final Duration TRANSACTION_TIME = Duration.ofMillis(50);

    private final IngestConfig config;
    private final KafkaAccess kafka;
    private final ValueSerializers serializers;
    private final String version;
    private final IngestMeters metrics;
    private final ServiceMetrics serviceMetrics;
    private final MessageParser parser;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<KafkaConsumer<String, String>> consumer = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Thread thread;

    /**
     * @param config      configuration (topics, group, default dataset)
     * @param kafka       the brokers and their security (SASL) settings
     * @param serializers Avro value serializers
     * @param version     ingest code version
     * @param metrics     ingest's meters
     * @param serviceMetrics the registry its Kafka clients' meters go to
     */
    public ConsoleIntake(
            IngestConfig config,
            KafkaAccess kafka,
            ValueSerializers serializers,
            String version,
            IngestMeters metrics,
            ServiceMetrics serviceMetrics) {
        this.config = config;
        this.kafka = kafka;
        this.serializers = serializers;
        this.version = version;
        this.metrics = metrics;
        this.serviceMetrics = serviceMetrics;
        this.parser = new MessageParser(config.readLimits());
        this.thread = new Thread(this::loop, "console-intake");
    }

    /** Starts consuming on its own thread. */
    public void start() {
        thread.start();
    }

    /** @return the last failure of the loop, if it is currently restarting after one */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    private void loop() {
        while (running.get()) {
            try {
                consumeUntilStopped();
            } catch (WakeupException e) {
                if (running.get()) {
                    lastError.set("woken up unexpectedly: " + e);
                }
            } catch (KafkaException | IllegalStateException e) {
                lastError.set(e.toString());
                LOG.error("console intake failed; restarting from the committed offsets of {}", config.rawTopic(), e);
                backOff();
            }
        }
    }

    private void consumeUntilStopped() {
        String transactionalId =
                ProducerSettings.CONSOLE_TRANSACTIONAL_PREFIX + config.consoleGroupId() + "-" + config.instanceId();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        ProducerSettings.transactional(kafka, transactionalId, config.transactionTimeout()));
                ServiceMetrics.Binding consumerMeters = serviceMetrics.kafkaClient(c);
                ServiceMetrics.Binding producerMeters = serviceMetrics.kafkaClient(producer)) {
            consumer.set(c);
            if (!running.get()) {
                return;
            }
            producer.initTransactions();
            c.subscribe(List.of(config.rawTopic()));
            lastError.set(null);
            while (running.get()) {
                ConsumerRecords<String, String> records = c.poll(POLL);
                if (!records.isEmpty()) {
                    processBatch(c, producer, records);
                }
            }
        } finally {
            consumer.set(null);
        }
    }

    private void processBatch(
            KafkaConsumer<String, String> c,
            KafkaProducer<String, byte[]> producer,
            ConsumerRecords<String, String> records) {
        Instant receivedAt = Instant.now();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        long began = System.nanoTime();
        producer.beginTransaction();
        for (ConsumerRecord<String, String> record : records) {
            try (LogContext ignored = LogContext.record(record.topic(), record.partition(), record.offset())) {
                process(producer, record, parser.parseMessage(record.value(), record.offset()), receivedAt);
            }
            next.put(
                    new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            if (System.nanoTime() - began >= TRANSACTION_TIME.toNanos()) {
                commit(c, producer, next);
                began = System.nanoTime();
                producer.beginTransaction();
            }
        }
        commit(c, producer, next);
    }

    /** Commits the open transaction with the input offsets after the records in it (none: an empty transaction). */
    private static void commit(
            KafkaConsumer<String, String> c,
            KafkaProducer<String, byte[]> producer,
            Map<TopicPartition, OffsetAndMetadata> next) {
        if (!next.isEmpty()) {
            producer.sendOffsetsToTransaction(Map.copyOf(next), c.groupMetadata());
            next.clear();
        }
        producer.commitTransaction();
    }

    private void process(
            KafkaProducer<String, byte[]> producer,
            ConsumerRecord<String, String> record,
            ParsedMessage message,
            Instant receivedAt) {
        String dataset = message.dataset().orElse(config.consoleDataset());
        Lineage lineage = Lineage.console(dataset, record.topic(), version, receivedAt);
        if (message.outcome() instanceof LineOutcome.Rejected rejected) {
            reject(producer, lineage, record, rejected.rejection(), SeriesKeys.seriesUnknown(dataset));
            return;
        }
        PriceRow row = ((LineOutcome.Parsed) message.outcome()).row();
        SeriesKey series = SeriesKey.of(row.symbol());
        byte[] value = serializers
                .clean()
                .serialize(
                        config.cleanTopic(),
                        RecordFactory.clean(lineage, series, row, record.partition(), record.offset()));
        producer.send(new ProducerRecord<>(config.cleanTopic(), SeriesKeys.of(dataset, series.id()), value));
        metrics.accepted(IngestMeters.Intake.CONSOLE, 1);
    }

    private void reject(
            KafkaProducer<String, byte[]> producer,
            Lineage lineage,
            ConsumerRecord<String, String> record,
            Rejection rejection,
            String key) {
        byte[] value = serializers
                .rejected()
                .serialize(
                        config.rejectedTopic(),
                        RecordFactory.rejected(lineage, rejection, record.partition(), record.offset()));
        producer.send(new ProducerRecord<>(config.rejectedTopic(), key, value));
        metrics.rejected(IngestMeters.Intake.CONSOLE, rejection.reason(), 1);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        kafka.map().forEach(p::put);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consoleGroupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private void backOff() {
        try {
            Thread.sleep(RESTART_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Stops consuming; the open transaction, if any, is aborted by closing the producer. */
    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, String> c = consumer.get();
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

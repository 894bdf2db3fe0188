package io.pricecast.ingest.console;

import com.datastax.oss.driver.api.core.DriverException;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.history.BoundedRequests;
import io.pricecast.ingest.history.SeriesHeads;
import io.pricecast.ingest.metrics.IngestMetrics;
import io.pricecast.ingest.publish.Lineage;
import io.pricecast.ingest.publish.ProducerSettings;
import io.pricecast.ingest.publish.RecordFactory;
import io.pricecast.ingest.publish.RecordKeys;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.RejectReason;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.message.MessageParser;
import io.pricecast.input.message.ParsedMessage;
import io.pricecast.runtime.KafkaAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * each record with price-input's {@link MessageParser} and the per-series rules against the series heads,
 * and publishes clean and rejected records with raw topic/partition/offset lineage, exactly once:
 * consume-transform-produce in one transaction per poll, input offsets committed with
 * {@code sendOffsetsToTransaction}, output read with {@code read_committed}.
 *
 * <p>The heads a batch moves are written to Cassandra before its transaction commits, each with the head
 * it replaced and the raw position that set it. A head whose raw position is at or past its partition's
 * committed offset was written by a batch that never committed, so the head it replaced is used instead.
 */
public final class ConsoleIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleIntake.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);
    private static final int FETCH_MAX_WAIT_MS = 100;
    /** Messages per poll, hence per transaction: its commit's round trips are shared by this many records. */
    static final int MAX_POLL_RECORDS = 5_000;

    private final IngestConfig config;
    private final KafkaAccess kafka;
    private final ValueSerializers serializers;
    private final SeriesHeads heads;
    private final String version;
    private final IngestMetrics metrics;
    private final MessageParser parser;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<KafkaConsumer<String, String>> consumer = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Thread thread;
    private final Map<HeadKey, Optional<PriceRow>> cache = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    private record HeadKey(String dataset, String series) {
    }

    /** A head a batch moved: the one it replaced, and the message that set the new one. */
    private record Moved(PriceRow previous, PriceRow head, int partition, long offset) {
    }

    /**
     * @param config      configuration (topics, group, default dataset)
     * @param kafka       the brokers and their security (SASL) settings
     * @param serializers Avro value serializers
     * @param heads       the series heads
     * @param version     ingest code version
     * @param metrics     counters
     */
    public ConsoleIntake(IngestConfig config, KafkaAccess kafka, ValueSerializers serializers, SeriesHeads heads,
                         String version, IngestMetrics metrics) {
        this.config = config;
        this.kafka = kafka;
        this.serializers = serializers;
        this.heads = heads;
        this.version = version;
        this.metrics = metrics;
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
            } catch (KafkaException | DriverException | IllegalStateException | java.util.concurrent.CompletionException e) {
                // DriverException: a synchronous Cassandra call while Cassandra is unreachable throws it as is; the
                // asynchronous head reads and writes surface it wrapped in a CompletionException
                lastError.set(e.toString());
                LOG.error("console intake failed; restarting from the committed offsets of {}", config.rawTopic(), e);
                backOff();
            }
        }
    }

    private void consumeUntilStopped() {
        cache.clear();
        committed.clear();
        String transactionalId = ProducerSettings.CONSOLE_TRANSACTIONAL_PREFIX + config.consoleGroupId() + "-" + config.instanceId();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                     ProducerSettings.transactional(kafka, transactionalId, config.transactionTimeout()))) {
            consumer.set(c);
            if (!running.get()) {
                return;
            }
            producer.initTransactions();
            c.subscribe(List.of(config.rawTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    cache.clear();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    cache.clear();
                    committed.clear();
                }
            });
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

    private void processBatch(KafkaConsumer<String, String> c, KafkaProducer<String, byte[]> producer,
                              ConsumerRecords<String, String> records) {
        Instant receivedAt = Instant.now();
        Map<HeadKey, Moved> moved = new HashMap<>();
        List<ParsedMessage> messages = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            messages.add(parser.parseMessage(record.value(), record.offset()));
        }
        producer.beginTransaction();
        try {
            loadHeads(c, messages);
            int i = 0;
            for (ConsumerRecord<String, String> record : records) {
                process(producer, record, messages.get(i++), receivedAt, moved);
            }
            List<SeriesHeads.ConsoleHead> changed = new ArrayList<>(moved.size());
            moved.forEach((key, m) -> changed.add(new SeriesHeads.ConsoleHead(key.dataset(), key.series(), m.head(),
                    m.previous(), config.rawTopic(), m.partition(), m.offset())));
            BoundedRequests writes = new BoundedRequests();
            for (int from = 0; from < changed.size(); from += SeriesHeads.PER_REQUEST) {
                List<SeriesHeads.ConsoleHead> part = changed.subList(from, Math.min(changed.size(), from + SeriesHeads.PER_REQUEST));
                writes.submit(() -> heads.writeAllFromConsole(part));
            }
            writes.awaitAll();
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<String, String>> part = records.records(tp);
                next.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
            }
            producer.sendOffsetsToTransaction(next, c.groupMetadata());
            producer.commitTransaction();
            next.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        } catch (RuntimeException e) {
            cache.clear();
            throw e;
        }
    }

    /**
     * Reads the heads of every series of the batch not in the cache, all at once: {@value SeriesHeads#PER_REQUEST}
     * series of a dataset per request, at most {@link BoundedRequests#MAX_IN_FLIGHT} requests in flight. One read
     * after another cost a daily close of 10,000 new series some 10,000 round trips before its first record was
     * published; one read per series in parallel, still 10,000 requests.
     */
    private void loadHeads(KafkaConsumer<String, String> c, List<ParsedMessage> messages) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        Set<HeadKey> seen = new HashSet<>();
        for (ParsedMessage message : messages) {
            if (message.outcome() instanceof LineOutcome.Parsed parsed) {
                HeadKey key = new HeadKey(message.dataset().orElse(config.consoleDataset()),
                        SeriesKey.of(parsed.row().symbol()).id());
                if (!cache.containsKey(key) && seen.add(key)) {
                    missing.computeIfAbsent(key.dataset(), d -> new ArrayList<>()).add(key.series());
                }
            }
        }
        BoundedRequests bounded = new BoundedRequests();
        Map<String, List<CompletableFuture<Map<String, SeriesHeads.Head>>>> reads = new LinkedHashMap<>();
        missing.forEach((dataset, series) -> {
            for (int from = 0; from < series.size(); from += SeriesHeads.PER_REQUEST) {
                List<String> part = series.subList(from, Math.min(series.size(), from + SeriesHeads.PER_REQUEST));
                reads.computeIfAbsent(dataset, d -> new ArrayList<>()).add(bounded.submit(() -> heads.findAllAsync(dataset, part)));
            }
        });
        reads.forEach((dataset, parts) -> {
            Map<String, SeriesHeads.Head> found = new HashMap<>();
            parts.forEach(part -> found.putAll(part.join()));
            for (String series : missing.get(dataset)) {
                cache.put(new HeadKey(dataset, series), committedView(c, Optional.ofNullable(found.get(series))));
            }
        });
    }

    private void process(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, String> record,
                         ParsedMessage message, Instant receivedAt, Map<HeadKey, Moved> moved) {
        String dataset = message.dataset().orElse(config.consoleDataset());
        Lineage lineage = Lineage.console(dataset, record.topic(), version, receivedAt);
        if (message.outcome() instanceof LineOutcome.Rejected rejected) {
            reject(producer, lineage, record, rejected.rejection(), RecordKeys.of(dataset, ""));
            return;
        }
        PriceRow row = ((LineOutcome.Parsed) message.outcome()).row();
        SeriesKey series = SeriesKey.of(row.symbol());
        HeadKey key = new HeadKey(dataset, series.id());
        Optional<PriceRow> head = cache.get(key);
        String position = "offset " + record.offset() + " of " + record.topic() + "/" + record.partition()
                + ": series " + series.id() + " day " + row.date();
        String recordKey = RecordKeys.of(dataset, series.id());
        if (head.isPresent() && row.date().isBefore(head.get().date())) {
            reject(producer, lineage, record, new Rejection(record.offset(), RejectReason.OUT_OF_ORDER, "date",
                    position + " is older than " + head.get().date() + ", the newest day the series already has",
                    row.toShortCsv()), recordKey);
        } else if (head.isPresent() && row.date().equals(head.get().date())) {
            if (head.get().sameValuesAs(row)) {
                metrics.duplicates(IngestMetrics.Intake.CONSOLE, 1);
            } else {
                reject(producer, lineage, record, new Rejection(record.offset(), RejectReason.CONFLICTING_DUPLICATE, "date",
                        position + " differs from the values the series already has for that day", row.toShortCsv()),
                        recordKey);
            }
        } else {
            byte[] value = serializers.clean().serialize(config.cleanTopic(),
                    RecordFactory.clean(lineage, series, row, record.partition(), record.offset()));
            producer.send(new ProducerRecord<>(config.cleanTopic(), recordKey, value));
            metrics.accepted(IngestMetrics.Intake.CONSOLE, 1);
            cache.put(key, Optional.of(row));
            Moved before = moved.get(key);
            moved.put(key, new Moved(before == null ? head.orElse(null) : before.previous(), row, record.partition(),
                    record.offset()));
        }
    }

    private void reject(KafkaProducer<String, byte[]> producer, Lineage lineage, ConsumerRecord<String, String> record,
                        Rejection rejection, String key) {
        byte[] value = serializers.rejected().serialize(config.rejectedTopic(),
                RecordFactory.rejected(lineage, rejection, record.partition(), record.offset()));
        producer.send(new ProducerRecord<>(config.rejectedTopic(), key, value));
        metrics.rejected(IngestMetrics.Intake.CONSOLE, rejection.reason(), 1);
    }

    /** A series' stored head as of the committed state: a head written by a batch that never committed is undone. */
    private Optional<PriceRow> committedView(KafkaConsumer<String, String> c, Optional<SeriesHeads.Head> stored) {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SeriesHeads.Head h = stored.get();
        if (config.rawTopic().equals(h.rawTopic()) && h.rawPartition() != null && h.rawOffset() != null) {
            TopicPartition tp = new TopicPartition(h.rawTopic(), h.rawPartition());
            long committedOffset = committed.computeIfAbsent(tp, p -> {
                OffsetAndMetadata offset = c.committed(Set.of(p)).get(p);
                return offset == null ? 0L : offset.offset();
            });
            if (h.rawOffset() >= committedOffset) {
                return Optional.ofNullable(h.previous());
            }
        }
        return Optional.of(h.head());
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

package io.pricecast.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.schemas.Keyspace;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.scorefile.bench.ForwardBench;
import io.pricecast.sink.SinkSettings;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.PredictionWrites;
import io.pricecast.sink.cql.PriceWrites;
import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.sink.cql.SymbolCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw baselines, measured on the same stack in the same run as the pipeline, each doing the bare part
 * of one stage's work with the same data: a producer of the same {@code PriceRecord}s with the same
 * serializer (ingest's ceiling), a plain consume+produce pipe of them with the same serdes (scoring's
 * ceiling), async inserts of the same prices and forecasts with the sink's own prepared statements and
 * in-flight bound (the sink's ceiling), and the plain-Java forward pass alone (the model's share). The in-flight bound
 * is the session's: its driver throttler, so the session given must be opened with the services' driver configuration
 * and the sink's bound ({@code CqlSessions.driverConfig(SinkSettings.DEFAULT_MAX_IN_FLIGHT)}); each window of
 * {@value #DRAIN_EVERY} writes fits in its queue.
 */
final class Baselines {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final int DRAIN_EVERY = 10_000;
    private static final int MAX_POLL_RECORDS = 2_000;

    private final BenchStack stack;
    private final AvroSerdes serdes;
    private final Duration timeout;

    Baselines(BenchStack stack, Duration timeout) {
        this.stack = stack;
        this.serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, stack.config().registryUrl());
        this.timeout = timeout;
    }

    /** Creates a topic of the stack's partition count for a baseline. */
    void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, stack.config().partitions(), (short) 1)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Raw producer: the backfill's records as {@code PriceRecord}s (built, not parsed), idempotent
     * {@code acks=all}, no transactions.
     *
     * @return records/s
     */
    double rawProducer(RandomWalks walks, int days, String topic) {
        long start = System.nanoTime();
        long records = produce(walks, days, topic);
        return records * 1e9 / (System.nanoTime() - start);
    }

    /** Produces {@code days} days of every series of {@code walks} as {@code PriceRecord}s; returns the count. */
    private long produce(RandomWalks walks, int days, String topic) {
        Serde<PriceRecord> serde = serdes.serde(PriceRecord.class, false);
        Instant received = Instant.now();
        long records = 0;
        try (KafkaProducer<String, PriceRecord> producer =
                new KafkaProducer<>(producerProperties(), new StringSerializer(), serde.serializer())) {
            for (int s = 0; s < walks.series(); s++) {
                for (int d = 0; d < days; d++) {
                    RandomWalks.DailyPrice p = walks.next(s);
                    PriceRecord r = PriceRecord.newBuilder()
                            .setDataset(p.dataset())
                            .setSymbol(p.symbol())
                            .setSlug(null)
                            .setName(null)
                            .setDate(p.date())
                            .setOpen(p.open())
                            .setHigh(p.high())
                            .setLow(p.low())
                            .setClose(p.close())
                            .setVolume(p.volume())
                            .setMarket(p.market())
                            .setSource(RecordSource.UPLOAD)
                            .setUploadId("bench")
                            .setFileLine(records + 2)
                            .setFileSha256(null)
                            .setRawTopic(null)
                            .setRawPartition(null)
                            .setRawOffset(null)
                            .setIngestVersion("bench")
                            .setReceivedAt(received)
                            .build();
                    producer.send(new ProducerRecord<>(topic, p.key(), r));
                    records++;
                }
            }
            producer.flush();
        }
        return records;
    }

    /**
     * Raw consume+produce pipe: {@code records} records of {@code from} decoded and re-encoded with the same
     * serdes into {@code to}, {@code acks=all}.
     *
     * @return records/s
     */
    double rawPipe(String from, String to, long records) throws InterruptedException {
        Serde<PriceRecord> serde = serdes.serde(PriceRecord.class, false);
        Properties c = consumerProperties("bench-pipe-" + System.nanoTime());
        long copied = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<String, PriceRecord> consumer =
                        new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer());
                KafkaProducer<String, PriceRecord> producer =
                        new KafkaProducer<>(producerProperties(), new StringSerializer(), serde.serializer())) {
            consumer.subscribe(List.of(from));
            while (copied < records) {
                for (ConsumerRecord<String, PriceRecord> r : consumer.poll(POLL)) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                    copied++;
                }
                requireWithin(start, "raw pipe copied only " + copied + " of " + records + " records");
            }
            producer.flush();
        }
        return records * 1e9 / (System.nanoTime() - start);
    }

    /**
     * Raw async inserts: {@code limit} of the prices and forecasts the pipeline just produced (read from
     * {@code prices.accepted} and {@code predictions} from the given positions, into memory first), written
     * with the sink's statements and in-flight bound into a fresh keyspace. No Kafka, no commits.
     *
     * @return forecasts/s, each with its price row (what the sink writes per record)
     */
    double rawInserts(
            CqlSession session,
            String keyspace,
            Map<TopicPartition, Long> pricesFrom,
            Map<TopicPartition, Long> predictionsFrom,
            int limit)
            throws InterruptedException {
        List<ConsumerRecord<String, PriceRecord>> prices = read(PriceRecord.class, pricesFrom, limit);
        List<ConsumerRecord<String, Prediction>> forecasts = read(Prediction.class, predictionsFrom, limit);
        int n = Math.min(prices.size(), forecasts.size());
        session.execute(Keyspace.createStatement(keyspace, 1));
        SinkSchema.apply(session, keyspace);
        SymbolCatalog catalog = new SymbolCatalog(session, keyspace);
        PredictionWrites predictionWrites = new PredictionWrites(session, keyspace, catalog, "bench");
        PriceWrites priceWrites = new PriceWrites(session, keyspace, catalog, "bench");
        List<CompletableFuture<?>> window = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, PriceRecord> price = prices.get(i);
            ConsumerRecord<String, Prediction> forecast = forecasts.get(i);
            List<CqlWrite> writes = new ArrayList<>(priceWrites.writes(price.value(), position(price)));
            writes.addAll(predictionWrites.writes(forecast.value(), position(forecast)));
            for (CqlWrite w : writes) {
                window.add(session.executeAsync(w.statement()).toCompletableFuture());
            }
            if (window.size() >= DRAIN_EVERY) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
        return n * 1e9 / (System.nanoTime() - start);
    }

    /**
     * What the node itself can take, the floor the daily close is compared with: {@code 2 x series} minimal rows
     * (partition key dataset + symbol, clustering date, one double; two days per series) written as one
     * single-partition unlogged batch per series, {@link SinkSettings#DEFAULT_MAX_IN_FLIGHT} in flight, into a fresh
     * keyspace; then {@code series} {@code PriceRecord}s produced raw (as {@link #rawProducer}) to a fresh topic.
     *
     * @param series   series (10,000 for the daily close of 10,000 symbols: 20,000 rows and 10,000 records)
     * @param keyspace a fresh keyspace name
     * @param topic    a fresh topic (created here)
     * @return the floor's two timings
     */
    Floor floor(CqlSession session, int series, String keyspace, String topic, LongSupplier cassandraCpuNanos)
            throws Exception {
        session.execute(Keyspace.createStatement(keyspace, 1));
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".floor_rows (dataset text, symbol text, date date, "
                + "value double, PRIMARY KEY ((dataset, symbol), date))");
        PreparedStatement insert = session.prepare(
                "INSERT INTO " + keyspace + ".floor_rows (dataset, symbol, date, value) " + "VALUES (?, ?, ?, ?)");
        List<CompletableFuture<?>> window = new ArrayList<>();
        java.time.LocalDate day = RandomWalks.FIRST_DAY;
        long cpuAtStart = cassandraCpuNanos.getAsLong();
        long start = System.nanoTime();
        for (int s = 0; s < series; s++) {
            String dataset = "floor-" + (s / 20);
            String symbol = "S" + s;
            BatchStatement batch = BatchStatement.newInstance(
                            DefaultBatchType.UNLOGGED,
                            insert.bind(dataset, symbol, day, 1.0 + s),
                            insert.bind(dataset, symbol, day.plusDays(1), 2.0 + s))
                    .setIdempotent(true);
            window.add(session.executeAsync(batch).toCompletableFuture());
            if (window.size() >= DRAIN_EVERY) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
        double insertSeconds = (System.nanoTime() - start) / 1e9;
        double insertCpuSeconds = (cassandraCpuNanos.getAsLong() - cpuAtStart) / 1e9;
        createTopic(topic);
        long produceStart = System.nanoTime();
        long produced = produce(new RandomWalks(topic, List.of("FLOOR"), series, 1), 1, topic);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        return new Floor(2 * series, insertSeconds, produced, produceSeconds, insertCpuSeconds);
    }

    /**
     * The floor of one run.
     *
     * @param rows           minimal rows inserted
     * @param insertSeconds  time to insert them
     * @param records        records produced raw
     * @param produceSeconds time to produce them
     * @param insertCpuSeconds Cassandra's CPU seconds during the inserts
     */
    record Floor(long rows, double insertSeconds, long records, double produceSeconds, double insertCpuSeconds) {
        /** @return the whole floor: the inserts, then the records */
        double seconds() {
            return insertSeconds + produceSeconds;
        }

        /** @return Cassandra's CPU seconds per 1,000 of the floor's requests (one series' two minimal rows each) */
        double cpuSecondsPer1000Requests() {
            return insertCpuSeconds * 1000 / (rows / 2.0);
        }

        /** @return the node's minimal rows per second */
        double rowsPerSecond() {
            return rows / insertSeconds;
        }
    }

    /**
     * The plain-Java forward pass alone, one thread, at the scoring batch size.
     *
     * @return windows/s
     */
    static double forward(ModelBundle bundle, int batch, double seconds, int runs) {
        return ForwardBench.windowsPerSecond(
                new PlainJavaBiGru(bundle.weights()), ForwardBench.randomWindows(batch), batch, seconds, runs);
    }

    /** @return the end offsets of a topic's partitions now */
    Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerProperties("bench-offsets"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> read(
            Class<T> type, Map<TopicPartition, Long> from, int limit) throws InterruptedException {
        Serde<T> serde = serdes.serde(type, false);
        List<ConsumerRecord<String, T>> out = new ArrayList<>(limit);
        long start = System.nanoTime();
        try (KafkaConsumer<String, T> consumer =
                new KafkaConsumer<>(consumerProperties("bench-read"), new StringDeserializer(), serde.deserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            // transaction markers take offsets too, so read until every partition's position reaches its end
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            while (out.size() < limit
                    && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, T> r : consumer.poll(POLL)) {
                    if (out.size() < limit) {
                        out.add(r);
                    }
                }
                requireWithin(start, "read only " + out.size() + " records of " + from.keySet());
            }
        }
        return out;
    }

    private static KafkaPosition position(ConsumerRecord<?, ?> r) {
        return new KafkaPosition(r.topic(), r.partition(), r.offset());
    }

    private void requireWithin(long startNanos, String message) {
        if (System.nanoTime() - startNanos > timeout.toNanos()) {
            throw new IllegalStateException(message + " within " + timeout.toMinutes() + " min");
        }
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    private Properties consumerProperties(String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        return c;
    }
}

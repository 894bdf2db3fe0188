package io.pricecast.scoring.bench;

import io.pricecast.avro.PriceRecord;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringService;
import io.pricecast.scoring.TestData;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scoring throughput and latency through a real broker with exactly-once (see docs/benchmarks.md, "Scoring"):
 * a backfill of {@code series x days} records, a raw consume+produce pipe of the same records with the same
 * serdes as the baseline, a daily close of one record per series, and single-record latencies.
 * Starts its own local stack unless {@code --bootstrap} and {@code --registry} name a running one.
 */
@Command(
        name = "bench-scoring",
        mixinStandardHelpOptions = true,
        description = "Scoring throughput and latency benchmark")
public final class ScoringBench implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final long PHASE_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(30);
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MILLI = 1e6;

    @Option(
            names = "--series",
            description = "series (multiples of the 20 symbols the model knows), default ${DEFAULT-VALUE}")
    int series = 10_000;

    @Option(names = "--days", description = "days per series in the backfill, default ${DEFAULT-VALUE}")
    int days = 100;

    @Option(names = "--partitions", description = "partitions of the input and output topics, default ${DEFAULT-VALUE}")
    int partitions = 2;

    @Option(names = "--threads", description = "num.stream.threads, default ${DEFAULT-VALUE}")
    int threads = 1;

    @Option(names = "--batch", description = "windows per forward call, default ${DEFAULT-VALUE}")
    int batch = ScoringConfig.DEFAULT_MAX_BATCH;

    @Option(names = "--engine", description = "auto, java or djl, default ${DEFAULT-VALUE}")
    Engine engine = Engine.AUTO;

    @Option(names = "--commit-ms", description = "commit.interval.ms, default ${DEFAULT-VALUE}")
    int commitMs = (int) ScoringConfig.DEFAULT_COMMIT_INTERVAL.toMillis();

    @Option(
            names = "--max-poll",
            description = "max.poll.records and buffered.records.per.partition, default ${DEFAULT-VALUE}")
    int maxPoll = ScoringConfig.DEFAULT_MAX_POLL_RECORDS;

    @Option(
            names = "--cache-bytes",
            description =
                    "statestore.cache.max.bytes (0: every store write goes to its changelog), default ${DEFAULT-VALUE}")
    long cacheBytes = ScoringConfig.DEFAULT_CACHE_MAX_BYTES;

    @Option(
            names = "--compression",
            description = "compression.type of the scorer's producers, default ${DEFAULT-VALUE}")
    String compression = ScoringConfig.DEFAULT_COMPRESSION;

    @Option(
            names = "--order",
            description = "backfill order: series (each series' days together, as ingest publishes an "
                    + "upload) or day (all series' day 0, then day 1, ...), default ${DEFAULT-VALUE}")
    Order order = Order.SERIES;

    @Option(
            names = "--latency-samples",
            description = "single records timed one after another, default ${DEFAULT-VALUE}")
    int latencySamples = 200;

    @Option(names = "--bootstrap", description = "a running broker (with --registry); default: start a local stack")
    String bootstrap;

    @Option(names = "--registry", description = "the running stack's schema registry URL")
    String registry;

    /** In which order the backfill's records are produced. */
    enum Order {
        SERIES,
        DAY
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScoringBench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (series % TestData.KNOWN_SYMBOLS.size() != 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--series must be a multiple of " + TestData.KNOWN_SYMBOLS.size());
        }
        LocalStack stack = null;
        Path home = Files.createTempDirectory("pricecast-bench-");
        if (bootstrap == null) {
            stack = new LocalStack(StackConfig.forTests(home.resolve("stack"), new PortAllocator()), line -> {});
            stack.up();
            bootstrap = stack.config().kafkaBootstrap();
            registry = stack.config().registryUrl();
        }
        try {
            run(home);
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
        return 0;
    }

    private void run(Path home) throws Exception {
        RecordSerdes serdes = RecordSerdes.of(new AvroSerdes(AvroSerdes.Kind.APICURIO, registry));
        String run = Long.toString(System.currentTimeMillis(), 36);
        String input = "bench.prices." + run;
        String predictions = "bench.predictions." + run;
        String pipe = "bench.pipe." + run;
        String rejected = "bench.rejected." + run;
        String models = "bench.models." + run;
        String accepted = "bench.accepted." + run;
        String accuracy = "bench.accuracy." + run;
        String verdicts = "bench.verdicts." + run;
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(input, partitions, (short) 1),
                            new NewTopic(predictions, partitions, (short) 1),
                            new NewTopic(accepted, partitions, (short) 1),
                            new NewTopic(accuracy, partitions, (short) 1),
                            new NewTopic(verdicts, partitions, (short) 1),
                            new NewTopic(pipe, partitions, (short) 1),
                            new NewTopic(rejected, 1, (short) 1),
                            new NewTopic(models, 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get();
        }
        long total = (long) series * days;
        System.out.printf(
                Locale.ROOT,
                "bench-scoring: %,d series x %d days = %,d records; %d partitions, %d stream thread(s), "
                        + "batch %d, engine %s, commit %d ms, max poll %d, compression %s, %s order; cores %d%n",
                series,
                days,
                total,
                partitions,
                threads,
                batch,
                engine,
                commitMs,
                maxPoll,
                compression,
                order.name().toLowerCase(Locale.ROOT),
                Runtime.getRuntime().availableProcessors());

        Walks walks = new Walks(series);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, PriceRecord> producer = producer(serdes)) {
            if (order == Order.DAY) {
                for (int d = 0; d < days; d++) {
                    walks.day(d, r -> producer.send(new ProducerRecord<>(input, TestData.key(r), r)));
                }
            } else {
                for (int s = 0; s < series; s++) {
                    for (int d = 0; d < days; d++) {
                        PriceRecord r = walks.next(s, d);
                        producer.send(new ProducerRecord<>(input, TestData.key(r), r));
                    }
                }
            }
            producer.flush();
        }
        report("produce input", total, System.nanoTime() - t0);

        double pipeRate = rawPipe(serdes, input, pipe, total);

        ScoringConfig config = new ScoringConfig(
                "bench-scoring-" + run,
                KafkaAccess.plaintext(bootstrap),
                home.resolve("state"),
                input,
                predictions,
                accepted,
                accuracy,
                verdicts,
                rejected,
                models,
                serdes,
                "bench",
                engine,
                batch,
                ScoringConfig.DEFAULT_FLUSH_INTERVAL,
                ScoringConfig.DEFAULT_VERDICT_INTERVAL,
                threads,
                0,
                Duration.ofMillis(commitMs),
                cacheBytes,
                ScoringConfig.DEFAULT_FETCH_MAX_WAIT,
                ScoringConfig.DEFAULT_PRODUCER_LINGER,
                maxPoll,
                compression);
        try (Counter counter = new Counter(bootstrap, predictions);
                ScoringService service = ScoringService.start(config, 0)) {
            Thread counting = new Thread(counter, "bench-counter");
            counting.start();
            long started = System.nanoTime();
            if (!service.awaitRunning(Duration.ofNanos(PHASE_TIMEOUT_NANOS))) {
                throw new IllegalStateException(
                        "streams did not reach RUNNING: " + service.streams().state());
            }
            long running = System.nanoTime();
            counter.await(total / 2);
            long halfCount = counter.count();
            long half = counter.lastArrival();
            counter.await(total);
            long backfill = counter.lastArrival() - running;
            double scoreRate = total * NANOS_PER_SECOND / backfill;
            double sustainedRate = (total - halfCount) * NANOS_PER_SECOND / (counter.lastArrival() - half);
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %,12d records in %8.2f s = %,10.0f records/s (start-up to RUNNING %.1f s)%n",
                    "score backfill (EOS)",
                    total,
                    backfill / NANOS_PER_SECOND,
                    scoreRate,
                    (running - started) / NANOS_PER_SECOND);
            System.out.printf(Locale.ROOT, "%-28s %.2f%n", "ratio score / raw pipe", scoreRate / pipeRate);
            // the second half runs on code the JIT has compiled by then: the sustained rate of a service that is up
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %,12d records: %,10.0f records/s, ratio to the raw pipe %.2f%n",
                    "second half of the backfill",
                    total - halfCount,
                    sustainedRate,
                    sustainedRate / pipeRate);
            System.out.printf(Locale.ROOT, "%-28s %s%n", "stream thread", threadMetrics(service));

            long committed;
            try (KafkaProducer<String, PriceRecord> producer = producer(serdes)) {
                walks.day(days, r -> producer.send(new ProducerRecord<>(input, TestData.key(r), r)));
                producer.flush();
                committed = System.nanoTime();
            }
            counter.await(total + series);
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %,12d records: all predictions committed %.0f ms after the last input was%n",
                    "daily close",
                    (long) series,
                    (counter.lastArrival() - committed) / NANOS_PER_MILLI);

            long[] latencies = new long[latencySamples];
            long expected = total + series;
            try (KafkaProducer<String, PriceRecord> producer = producer(serdes)) {
                for (int i = 0; i < latencySamples; i++) {
                    PriceRecord r = walks.next(i % series, days + 1 + i / series);
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(input, TestData.key(r), r))
                            .get();
                    counter.await(++expected);
                    latencies[i] = counter.lastArrival() - sent;
                }
            }
            Arrays.sort(latencies);
            if (latencySamples > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "%-28s %d samples: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        "single-record latency",
                        latencySamples,
                        latencies[latencySamples / 2] / NANOS_PER_MILLI,
                        latencies[(int) Math.min(latencySamples - 1, Math.ceil(latencySamples * 0.99) - 1)]
                                / NANOS_PER_MILLI,
                        latencies[latencySamples - 1] / NANOS_PER_MILLI);
            }
            counter.stop();
            counting.join();
        }
    }

    /** Plain consumer to producer with the same serdes: the ceiling a Kafka pipeline reaches on this machine. */
    private double rawPipe(RecordSerdes serdes, String from, String to, long total) throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-pipe-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        Serde<PriceRecord> serde = serdes.serde(PriceRecord.class, false);
        long copied = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<String, PriceRecord> consumer =
                        new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer());
                KafkaProducer<String, PriceRecord> producer = producer(serdes)) {
            consumer.subscribe(List.of(from));
            while (copied < total) {
                for (ConsumerRecord<String, PriceRecord> r : consumer.poll(POLL)) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                    copied++;
                }
                if (System.nanoTime() - start > PHASE_TIMEOUT_NANOS) {
                    throw new IllegalStateException("raw pipe copied only " + copied + " records");
                }
            }
            producer.flush();
        }
        long took = System.nanoTime() - start;
        report("raw consume+produce pipe", total, took);
        return total * NANOS_PER_SECOND / took;
    }

    private KafkaProducer<String, PriceRecord> producer(RecordSerdes serdes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(
                p,
                new StringSerializer(),
                serdes.serde(PriceRecord.class, false).serializer());
    }

    /** Where the stream threads spent their time during the run (Streams' own ratios) and commit latency. */
    private static String threadMetrics(ScoringService service) {
        Map<String, Double> m = new java.util.TreeMap<>();
        service.streams().metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics")
                    && (name.name().endsWith("-ratio")
                            || name.name().equals("commit-latency-avg")
                            || name.name().equals("poll-records-avg"))
                    && metric.metricValue() instanceof Number n) {
                m.merge(name.name(), n.doubleValue(), Double::sum);
            }
        });
        StringBuilder out = new StringBuilder();
        m.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%s=%.2f ", k, v)));
        return out.toString().trim();
    }

    private static void report(String what, long records, long nanos) {
        System.out.printf(
                Locale.ROOT,
                "%-28s %,12d records in %8.2f s = %,10.0f records/s%n",
                what,
                records,
                nanos / NANOS_PER_SECOND,
                records * NANOS_PER_SECOND / nanos);
    }

    /** Counts committed predictions (read_committed, values not decoded) and remembers when the newest arrived. */
    private static final class Counter implements Runnable, AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong lastArrival = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Object arrived = new Object();

        Counter(String bootstrap, String topic) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-counter-" + System.nanoTime());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        @Override
        public void run() {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(5));
                if (!records.isEmpty()) {
                    lastArrival.set(System.nanoTime());
                    count.addAndGet(records.count());
                    synchronized (arrived) {
                        arrived.notifyAll();
                    }
                }
            }
            consumer.close();
        }

        void await(long target) throws InterruptedException {
            long deadline = System.nanoTime() + PHASE_TIMEOUT_NANOS;
            synchronized (arrived) {
                while (count.get() < target) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "only " + count.get() + " of " + target + " predictions arrived");
                    }
                    arrived.wait(1);
                }
            }
        }

        long lastArrival() {
            return lastArrival.get();
        }

        long count() {
            return count.get();
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void close() {
            running.set(false);
        }
    }

    /** Seeded random walks of the 20 known symbols over {@code series / 20} datasets, generated day by day. */
    private static final class Walks {
        private static final LocalDate START = LocalDate.of(2017, 1, 1);
        private final Random random = new Random(7);
        private final double[] level;

        Walks(int series) {
            level = new double[series];
            for (int s = 0; s < series; s++) {
                level[s] = 1 + random.nextDouble() * 100;
            }
        }

        void day(int day, java.util.function.Consumer<PriceRecord> sink) {
            for (int s = 0; s < level.length; s++) {
                sink.accept(next(s, day));
            }
        }

        PriceRecord next(int s, int day) {
            double open = level[s];
            double close = open * Math.exp(random.nextGaussian() * 0.03);
            double high = Math.max(open, close) * (1 + random.nextDouble() * 0.02);
            double low = Math.min(open, close) * (1 - random.nextDouble() * 0.02);
            level[s] = close;
            int symbols = TestData.KNOWN_SYMBOLS.size();
            return TestData.price(
                    "bench" + (s / symbols),
                    TestData.KNOWN_SYMBOLS.get(s % symbols),
                    START.plusDays(day),
                    open,
                    high,
                    low,
                    close,
                    1000,
                    close * 1_000_000,
                    "bench",
                    (long) day + 2);
        }
    }
}

package io.pricecast.sink.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.schemas.Keyspace;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.sink.SinkService;
import io.pricecast.sink.SinkSettings;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.PredictionWrites;
import io.pricecast.sink.cql.PriceWrites;
import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.sink.cql.SinkTables;
import io.pricecast.sink.cql.SymbolCatalog;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sink benchmark (a main, not a test): on a local stack of its own,
 * (1) predictions/s persisted by the sink from Kafka into Cassandra, (2) in the same run a raw async
 * driver loop writing the same rows with the same statements and the same in-flight bound, and their
 * ratio, (3) the predictions CSV export of 1,000,000 rows over HTTP, with the heap retained meanwhile.
 *
 * <p>Arguments: {@code [predictions=200000] [exportRows=1000000] [order=series|day]}: {@code series} (the
 * default) delivers each series' days together, as a backfill from an upload does; {@code day} interleaves the
 * series day by day, as the daily feed does.
 */
public final class SinkBench {

    private static final int SYMBOLS = 1000;
    private static final int WINDOW = 5;
    private static final int EXPORT_SYMBOLS = 100;
    private static final int PARTITIONS = 6;
    private static final long MB = 1024 * 1024;
    private static final int LOAD_BATCH = 50;
    private static final int LOAD_DRAIN = 512;
    private static final int LOAD_ATTEMPTS = 5;
    private static final LocalDate FIRST_DAY = LocalDate.of(1990, 1, 1);
    private static final Instant SCORED = Instant.parse("2024-05-01T00:00:00Z");

    private SinkBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int exportRows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        boolean seriesOrder = args.length <= 2 || !args[2].equals("day");
        Path home = Files.createTempDirectory("pricecast-sink-bench-");
        LocalStack stack = new LocalStack(
                StackConfig.forTests(home, new PortAllocator()), l -> System.out.println("[stack] " + l));
        Thread stopStack = new Thread(stack::down, "bench-stack-down");
        Runtime.getRuntime().addShutdownHook(stopStack);
        stack.up();
        run(stack.config(), n, exportRows, seriesOrder);
    }

    private static void run(StackConfig c, int n, int exportRows, boolean seriesOrder) throws Exception {
        String topic = "bench.predictions";
        Properties admin = new Properties();
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrap());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(
                            new NewTopic(topic, PARTITIONS, (short) 1),
                            new NewTopic("bench.prices", PARTITIONS, (short) 1),
                            new NewTopic("bench.rejected", PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }
        // the sink's driver configuration and in-flight bound (the driver's throttler)
        try (CqlSession session = CqlSession.builder()
                .withConfigLoader(CqlSessions.driverConfig(SinkSettings.DEFAULT_MAX_IN_FLIGHT))
                .addContactPoint(new InetSocketAddress("127.0.0.1", c.cassandraPort()))
                .withLocalDatacenter("datacenter1")
                .build()) {
            if (n > 0) {
                persistAndCompare(c, session, n, topic, seriesOrder);
            }
            if (exportRows > 0) {
                export(c, session, exportRows);
            }
        }
    }

    private static void persistAndCompare(StackConfig c, CqlSession session, int n, String topic, boolean seriesOrder)
            throws Exception {
        AvroSerdes serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, c.registryUrl());
        List<Prediction> predictions = synthetic("bench", SYMBOLS, n / SYMBOLS, seriesOrder);
        System.out.printf(
                "%,d forecasts of %,d series in %s order, %d-record windows%n",
                predictions.size(), SYMBOLS, seriesOrder ? "series" : "day", WINDOW);
        long t0 = System.nanoTime();
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        try (KafkaProducer<String, Prediction> producer = new KafkaProducer<>(
                p, new StringSerializer(), serdes.serde(Prediction.class, false).serializer())) {
            for (Prediction f : predictions) {
                producer.send(new ProducerRecord<>(topic, f.getDataset() + "|" + f.getSymbol(), f));
            }
            producer.flush();
        }
        System.out.printf("produced %,d predictions in %.1f s%n", predictions.size(), seconds(t0));

        // (1) the sink, from Kafka
        Map<String, String> env = environment(c, "bench_sink", topic);
        session.execute(Keyspace.createStatement("bench_sink", 1));
        double sinkRate;
        try (SinkService sink = SinkService.start(SinkSettings.fromEnvironment(env))) {
            while (sink.meters().rowsWritten(SinkTables.PREDICTIONS_BY_SERIES) == 0) {
                TimeUnit.MILLISECONDS.sleep(2);
            }
            long start = System.nanoTime();
            while (sink.meters().rowsWritten(SinkTables.PREDICTIONS_BY_SERIES) < predictions.size()) {
                TimeUnit.MILLISECONDS.sleep(2);
            }
            double s = seconds(start);
            sinkRate = predictions.size() / s;
            System.out.printf(
                    "sink: %,d predictions persisted in %.2f s = %,.0f predictions/s%n",
                    predictions.size(), s, sinkRate);
        }

        // (2) raw driver loop, same statements, same bound
        session.execute(Keyspace.createStatement("bench_raw", 1));
        SinkSchema.apply(session, "bench_raw");
        PredictionWrites writes =
                new PredictionWrites(session, "bench_raw", new SymbolCatalog(session, "bench_raw"), "bench");
        long start = System.nanoTime();
        long rows = insertAll(session, predictions, f -> writes.writes(f, new KafkaPosition(topic, 0, 0)));
        double s = seconds(start);
        double rawRate = predictions.size() / s;
        System.out.printf(
                "raw loop: %,d predictions (%,d rows) in %.2f s = %,.0f predictions/s%n",
                predictions.size(), rows, s, rawRate);
        System.out.printf("ratio sink/raw = %.2f%n", sinkRate / rawRate);

        // (3) raw driver loop of single-partition batches: what the sink's grouping can reach at best
        session.execute(Keyspace.createStatement("bench_raw_batched", 1));
        SinkSchema.apply(session, "bench_raw_batched");
        PredictionWrites batchedWrites = new PredictionWrites(
                session, "bench_raw_batched", new SymbolCatalog(session, "bench_raw_batched"), "bench");
        start = System.nanoTime();
        long batches =
                insertBatched(session, predictions, f -> batchedWrites.writes(f, new KafkaPosition(topic, 0, 0)));
        s = seconds(start);
        double batchedRate = predictions.size() / s;
        System.out.printf(
                "raw batched loop: %,d predictions (%,d requests of up to %d rows of one series) in %.2f s = %,.0f predictions/s%n",
                predictions.size(), batches, SinkSettings.DEFAULT_MAX_BATCH_ROWS, s, batchedRate);
        System.out.printf("ratio sink/raw batched = %.2f%n", sinkRate / batchedRate);
    }

    private static void export(StackConfig c, CqlSession session, int exportRows) throws Exception {
        session.execute(Keyspace.createStatement("bench_export", 1));
        SinkSchema.apply(session, "bench_export");
        SymbolCatalog catalog = new SymbolCatalog(session, "bench_export");
        PredictionWrites exportWrites = new PredictionWrites(session, "bench_export", catalog, "bench");
        PriceWrites priceWrites = new PriceWrites(session, "bench_export", catalog, "bench");
        long start = System.nanoTime();
        int days = exportRows / EXPORT_SYMBOLS;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int s = 0; s < EXPORT_SYMBOLS; s++) {
            // bulk load: one single-partition unlogged batch per series and chunk of days
            for (int d0 = 0; d0 < days; d0 += LOAD_BATCH) {
                BatchStatementBuilder forecasts = BatchStatement.builder(DefaultBatchType.UNLOGGED);
                BatchStatementBuilder actuals = BatchStatement.builder(DefaultBatchType.UNLOGGED);
                for (int d = d0; d < Math.min(days, d0 + LOAD_BATCH); d++) {
                    Prediction f = prediction("export", s, d);
                    List<CqlWrite> w = exportWrites.writes(f, new KafkaPosition("bench.predictions", 0, d));
                    forecasts.addStatement(w.get(0).statement());
                    for (CqlWrite extra : w.subList(1, w.size())) {
                        if (extra.table().equals(SinkTables.SYMBOLS_BY_DATASET)) {
                            pending.add(session.executeAsync(extra.statement()).toCompletableFuture());
                        }
                    }
                    actuals.addStatement(priceWrites
                            .writes(price(f), new KafkaPosition("bench.prices", 0, d))
                            .get(0)
                            .statement());
                }
                BatchStatement b1 = forecasts.setIdempotence(true).build();
                BatchStatement b2 = actuals.setIdempotence(true).build();
                pending.add(withRetry(session, b1).toCompletableFuture());
                pending.add(withRetry(session, b2).toCompletableFuture());
                if (pending.size() >= LOAD_DRAIN) {
                    pending.forEach(CompletableFuture::join);
                    pending.clear();
                }
            }
        }
        pending.forEach(CompletableFuture::join);
        System.out.printf(
                "loaded %,d forecasts and their prices for the export in %.1f s%n",
                (long) days * EXPORT_SYMBOLS, seconds(start));
        double s;
        Map<String, String> exportEnv = environment(c, "bench_export", "bench.unused");
        try (SinkService sink = SinkService.start(SinkSettings.fromEnvironment(exportEnv))) {
            long baseline = retainedHeap();
            AtomicLong peak = new AtomicLong(baseline);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(retainedHeap(), Math::max);
                    try {
                        TimeUnit.MILLISECONDS.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            start = System.nanoTime();
            long lines = 0;
            long bytes = 0;
            HttpResponse<InputStream> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + sink.port() + "/predictions.csv?dataset=export"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] buf = new byte[64 * 1024];
                for (int k; (k = in.read(buf)) >= 0; ) {
                    bytes += k;
                    for (int i = 0; i < k; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            s = seconds(start);
            sampler.interrupt();
            sampler.join();
            System.out.printf(
                    "export: %,d data rows, %,d MB in %.1f s = %,.0f rows/s; heap retained before %d MB, "
                            + "peak during %d MB (max heap %d MB)%n",
                    lines - 1,
                    bytes / MB,
                    s,
                    (lines - 1) / s,
                    baseline / MB,
                    peak.get() / MB,
                    Runtime.getRuntime().maxMemory() / MB);
        }
    }

    private static long insertAll(
            CqlSession session, List<Prediction> items, Function<Prediction, List<CqlWrite>> writes) {
        List<CompletableFuture<?>> window = new ArrayList<>();
        long rows = 0;
        for (Prediction f : items) {
            for (CqlWrite w : writes.apply(f)) {
                window.add(session.executeAsync(w.statement()).toCompletableFuture());
                rows++;
            }
            if (window.size() >= 10_000) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
        return rows;
    }

    /** Consecutive forecasts of one series, up to the sink's batch size, as one single-partition unlogged batch. */
    private static long insertBatched(
            CqlSession session, List<Prediction> items, Function<Prediction, List<CqlWrite>> writes) {
        List<CompletableFuture<?>> window = new ArrayList<>();
        long requests = 0;
        int i = 0;
        while (i < items.size()) {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            String series = items.get(i).getSymbol();
            int n = 0;
            for (;
                    i < items.size()
                            && n < SinkSettings.DEFAULT_MAX_BATCH_ROWS
                            && items.get(i).getSymbol().equals(series);
                    i++, n++) {
                for (CqlWrite w : writes.apply(items.get(i))) {
                    if (w.table().equals(SinkTables.PREDICTIONS_BY_SERIES)) {
                        batch.addStatement(w.statement());
                    } else {
                        window.add(session.executeAsync(w.statement()).toCompletableFuture());
                        requests++;
                    }
                }
            }
            BatchStatement b = batch.setIdempotence(true).build();
            window.add(session.executeAsync(b).toCompletableFuture());
            requests++;
            if (window.size() >= 10_000) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
        return requests;
    }

    private static Map<String, String> environment(StackConfig c, String keyspace, String predictionsTopic) {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
        env.put("PRICECAST_REGISTRY_URL", c.registryUrl());
        env.put("PRICECAST_CASSANDRA_CONTACT", "127.0.0.1:" + c.cassandraPort());
        env.put("PRICECAST_KEYSPACE", keyspace);
        env.put("PRICECAST_SINK_PORT", "0");
        env.put("PRICECAST_SINK_PREDICTIONS_TOPIC", predictionsTopic);
        env.put("PRICECAST_SINK_PRICES_TOPIC", "bench.prices");
        env.put("PRICECAST_SINK_REJECTED_TOPIC", "bench.rejected");
        env.put("PRICECAST_SINK_GROUP", "bench-" + keyspace);
        return env;
    }

    /** Forecasts of {@code symbols} series of {@code days} days, each series' days together or interleaved by day. */
    static List<Prediction> synthetic(String dataset, int symbols, int days, boolean seriesOrder) {
        List<Prediction> result = new ArrayList<>(symbols * days);
        for (int i = 0; i < symbols * days; i++) {
            result.add(
                    seriesOrder
                            ? prediction(dataset, i / days, i % days)
                            : prediction(dataset, i % symbols, i / symbols));
        }
        return result;
    }

    /** The forecast of series {@code s} made on day {@code d}, with a full window of references. */
    static Prediction prediction(String dataset, int s, int d) {
        LocalDate base = FIRST_DAY.plusDays(d);
        String symbol = String.format("S%05d", s);
        long offset = (long) d * 10_000 + s;
        List<InputRef> window = new ArrayList<>(WINDOW);
        for (int k = WINDOW - 1; k >= 0; k--) {
            window.add(new InputRef(base.minusDays(k), "prices.clean", s % PARTITIONS, offset - k));
        }
        return Prediction.newBuilder()
                .setPredictionId(dataset + "|" + symbol + "|" + base.plusDays(1) + "|bench-v1")
                .setDataset(dataset)
                .setSymbol(symbol)
                .setBaseDate(base)
                .setTargetDate(base.plusDays(1))
                .setPredOpen(100 + s + d * 0.01)
                .setBaseOpen(100 + s)
                .setModelOutput(0.1)
                .setModelVersion("bench-v1")
                .setModelSha256("a".repeat(64))
                .setScalerSha256("b".repeat(64))
                .setFeatureSpec("features-v1")
                .setWindow(window)
                .setRawTopic("prices.raw")
                .setRawPartition(0)
                .setRawOffset(offset)
                .setIngestVersion("bench")
                .setScoringVersion("bench")
                .setReceivedAt(SCORED)
                .setScoredAt(SCORED)
                .build();
    }

    private static PriceRecord price(Prediction f) {
        return PriceRecord.newBuilder()
                .setDataset(f.getDataset())
                .setSymbol(f.getSymbol())
                .setDate(f.getTargetDate())
                .setOpen(f.getBaseOpen())
                .setHigh(f.getBaseOpen() + 1)
                .setLow(f.getBaseOpen() - 1)
                .setClose(f.getBaseOpen())
                .setVolume(1)
                .setMarket(1)
                .setSource(RecordSource.CONSOLE)
                .setIngestVersion("bench")
                .setReceivedAt(f.getReceivedAt())
                .build();
    }

    private static java.util.concurrent.CompletionStage<?> withRetry(CqlSession session, BatchStatement batch) {
        java.util.concurrent.CompletionStage<?> attempt = session.executeAsync(batch);
        for (int i = 1; i < LOAD_ATTEMPTS; i++) {
            attempt = attempt.handle((r, e) -> e == null
                            ? java.util.concurrent.CompletableFuture.completedFuture(r)
                            : session.executeAsync(batch))
                    .thenCompose(x -> x);
        }
        return attempt;
    }

    private static long retainedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

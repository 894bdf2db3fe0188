package io.pricecast.ingest.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.ingest.GeneratedPrices;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit;
import io.pricecast.ingest.publish.ProducerSettings;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Keyspace;
import io.pricecast.schemas.SeriesKeys;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Upload throughput against a raw producer, in the same run on the same broker: a generated file is
 * uploaded over HTTP to an in-process ingest-service (receive + sha256, parse, validate, sort, chunked
 * transactions, Avro) and timed from the POST to "published"; then a plain idempotent {@code acks=all}
 * producer sends the same number of {@code PriceRecord}s (built without parsing) with the same serializer.
 * Starts its own local stack on free ports. See docs/ingest-service.md for the command and figures.
 */
@Command(
        name = "upload-benchmark",
        mixinStandardHelpOptions = true,
        description = "Measure upload parse+validate+publish rows/s against a raw producer.")
public final class UploadBenchmark implements Callable<Integer> {

    private static final int PARTITIONS = 3;
    private static final long POLL_MS = 100;

    @Option(
            names = "--symbols",
            defaultValue = "500",
            description = "series in the generated file (default: ${DEFAULT-VALUE})")
    private int symbols;

    @Option(names = "--days", defaultValue = "2000", description = "days per series (default: ${DEFAULT-VALUE})")
    private int days;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "uploads of the file (each to its own dataset) and raw-producer runs, alternated; "
                    + "figures are their median (default: ${DEFAULT-VALUE})")
    private int runs;

    @Option(names = "--records-per-transaction", description = "upload transaction size (default: the service's)")
    private Integer recordsPerTransaction;

    @Option(
            names = "--max-upload-mb",
            description =
                    "upload size limit (default: the service's); " + "raise it to upload a file larger than 512 MB")
    private Long maxUploadMb;

    @Override
    public Integer call() throws Exception {
        Path home = Files.createTempDirectory("pricecast-bench-");
        LocalStack stack = new LocalStack(
                StackConfig.forTests(home.resolve("stack"), new PortAllocator()),
                line -> System.err.println("[stack] " + line));
        try {
            stack.up();
            return run(stack.config(), home);
        } finally {
            stack.down();
            PathUtils.deleteDirectory(home);
        }
    }

    private int run(StackConfig stack, Path home) throws Exception {
        Path file = home.resolve("bench.csv");
        long rows = GeneratedPrices.write(file, symbols, days);
        System.out.printf("file: %,d rows, %,d bytes%n", rows, Files.size(file));
        String bootstrap = stack.kafkaBootstrap();
        String pipelineClean = "bench.clean." + System.nanoTime();
        String rawClean = "bench.raw-producer." + System.nanoTime();
        String rejected = "bench.rejected." + System.nanoTime();
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(
                            new NewTopic(pipelineClean, PARTITIONS, (short) 1),
                            new NewTopic(rawClean, PARTITIONS, (short) 1),
                            new NewTopic(rejected, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        String keyspace = "bench_" + System.currentTimeMillis();
        InetSocketAddress cassandra = new InetSocketAddress("127.0.0.1", stack.cassandraPort());
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(cassandra)
                .withLocalDatacenter("datacenter1")
                .build()) {
            session.execute(Keyspace.createStatement(keyspace, 1));
        }
        AvroSerdes serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, stack.registryUrl());
        ServiceSettings settings = new ServiceSettings(
                bootstrap,
                stack.registryUrl(),
                cassandra,
                "datacenter1",
                keyspace,
                0,
                home.resolve("ingest"),
                Map.of());
        IngestConfig config = IngestConfig.defaults()
                .withTopics("bench.unused-raw", pipelineClean, rejected)
                .withConsoleGroup("bench")
                .withConsoleEnabled(false);

        if (recordsPerTransaction != null) {
            config = config.withRecordsPerTransaction(recordsPerTransaction);
        }
        if (maxUploadMb != null) {
            config = config.withMaxUploadBytes(maxUploadMb * 1024 * 1024);
        }
        System.out.printf(
                "config: %,d records per transaction, %,d rows sorted in memory, max upload %,d MB, "
                        + "max heap %,d MB%n",
                config.recordsPerTransaction(),
                config.maxRowsInMemory(),
                config.maxUploadBytes() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        List<Double> uploadRates = new java.util.ArrayList<>();
        List<Double> rawRates = new java.util.ArrayList<>();
        List<Double> ratios = new java.util.ArrayList<>();
        HeapWatch heap = new HeapWatch();
        try (IngestService service = IngestService.start(settings, config, serdes)) {
            String base = "http://127.0.0.1:" + service.port();
            for (int run = 1; run <= runs; run++) {
                heap.reset();
                long start = System.nanoTime();
                String id = IngestTestKit.json(IngestTestKit.post(
                                base + "/uploads?dataset=bench-" + run, HttpRequest.BodyPublishers.ofFile(file)))
                        .get("upload_id")
                        .asText();
                JsonNode status;
                do {
                    Thread.sleep(POLL_MS);
                    heap.sample();
                    status = IngestTestKit.json(IngestTestKit.get(base + "/uploads/" + id));
                } while (status.get("status").asText().equals("publishing")
                        || status.get("status").asText().equals("received"));
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!status.get("status").asText().equals("published")
                        || status.at("/ingest/published").asLong() != rows) {
                    System.err.println("upload did not publish every row: " + status);
                    return 1;
                }
                double uploadRate = rows / seconds;
                double rawRate = rawProducer(bootstrap, serdes, rawClean, rows);
                uploadRates.add(uploadRate);
                rawRates.add(rawRate);
                ratios.add(uploadRate / rawRate);
                System.out.printf(
                        "run %d: upload (HTTP receive + sha256 + parse + validate + sort + transactional "
                                + "publish) %,d rows in %.2f s = %,.0f rows/s; raw producer (same PriceRecords, same "
                                + "serializer, idempotent acks=all, no transactions) %,.0f records/s; ratio %.2f; "
                                + "peak heap used %,d MB, peak old generation after GC %,d MB%n",
                        run,
                        rows,
                        seconds,
                        uploadRate,
                        rawRate,
                        uploadRate / rawRate,
                        heap.peakUsed() >> 20,
                        heap.peakOldAfterGc() >> 20);
            }
        }
        System.out.printf(
                "median of %d: upload %,.0f rows/s [%,.0f, %,.0f]; raw producer %,.0f records/s; ratio %.2f%n",
                runs,
                median(uploadRates),
                java.util.Collections.min(uploadRates),
                java.util.Collections.max(uploadRates),
                median(rawRates),
                median(ratios));
        return 0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Heap of this JVM (the ingest service runs in it): peak used, and peak old generation right after a GC. */
    private static final class HeapWatch {
        private long peakUsed;
        private long peakOldAfterGc;

        void reset() {
            peakUsed = 0;
            peakOldAfterGc = 0;
        }

        void sample() {
            peakUsed = Math.max(
                    peakUsed,
                    java.lang.management.ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed());
            for (java.lang.management.MemoryPoolMXBean pool :
                    java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().contains("Old") && pool.getCollectionUsage() != null) {
                    peakOldAfterGc =
                            Math.max(peakOldAfterGc, pool.getCollectionUsage().getUsed());
                }
            }
        }

        long peakUsed() {
            return peakUsed;
        }

        long peakOldAfterGc() {
            return peakOldAfterGc;
        }
    }

    private double rawProducer(String bootstrap, AvroSerdes serdes, String topic, long rows) {
        Serializer<PriceRecord> serializer = ValueSerializers.of(serdes).clean();
        Instant received = Instant.now();
        String version = CodeVersion.current();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(ProducerSettings.plain(KafkaAccess.plaintext(bootstrap)))) {
            long line = 2;
            for (int s = 0; s < symbols; s++) {
                String symbol = "S" + s;
                for (int d = 0; d < days; d++) {
                    double open = 100 + s + (d % 97) * 0.5;
                    PriceRecord record = new PriceRecord(
                            "bench",
                            symbol,
                            null,
                            null,
                            LocalDate.of(2000, 1, 1).plusDays(d),
                            open,
                            open * 1.1,
                            open * 0.9,
                            open * 1.02,
                            1000.0 + d,
                            50_000.0 + s,
                            RecordSource.UPLOAD,
                            "bench",
                            line++,
                            "sha",
                            null,
                            null,
                            null,
                            version,
                            received);
                    producer.send(new ProducerRecord<>(
                            topic, SeriesKeys.of("bench", symbol), serializer.serialize(topic, record)));
                }
            }
            producer.flush();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new UploadBenchmark()).execute(args));
    }
}

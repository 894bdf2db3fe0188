package io.pricecast.scoring;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.SeriesKeys;
import io.pricecast.scoring.serde.RecordSerdes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The parity sample as PriceRecords, its reference predictions, and synthetic random-walk series. */
public final class TestData {

    public static final Duration TEST_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final Duration TEST_FETCH_MAX_WAIT = Duration.ofMillis(10);
    public static final Duration TEST_VERDICT_INTERVAL = Duration.ofMillis(100);
    public static final String SAMPLE = "/parity/crypto_sample.csv";
    public static final String EXPECTED = "/parity/crypto_sample_expected_preds.csv";
    public static final String INGEST_VERSION = "ingest-test";
    public static final Instant RECEIVED_AT = Instant.parse("2026-01-01T00:00:00Z");
    /** The 20 symbols the ds-keras-v1 scalers know. */
    public static final List<String> KNOWN_SYMBOLS = List.of(
            "ANC", "BITS", "BTB", "BTC", "BTM", "CBX", "DGC", "FAIR", "FTC", "GLD", "IXC", "LTC", "NMC", "NVC", "PPC",
            "PXC", "TRC", "WDC", "XPM", "XRP");

    /** One reference row: the forecast made from the symbol's {@code index}-th row. */
    public record Expected(String symbol, int index, LocalDate date, double predOpen) {}

    private TestData() {}

    /** The sample's rows in file order, as ingest would publish them for upload {@code uploadId}. */
    public static List<PriceRecord> sample(String dataset, String uploadId) {
        List<PriceRecord> records = new ArrayList<>();
        List<String> lines = lines(SAMPLE);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            records.add(price(
                    dataset,
                    f[0],
                    LocalDate.parse(f[4]),
                    Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]),
                    Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]),
                    Double.parseDouble(f[11]),
                    uploadId,
                    i + 1L));
        }
        return records;
    }

    public static PriceRecord price(
            String dataset,
            String symbol,
            LocalDate date,
            double open,
            double high,
            double low,
            double close,
            double volume,
            double market,
            String uploadId,
            Long line) {
        return PriceRecord.newBuilder()
                .setDataset(dataset)
                .setSymbol(symbol)
                .setSlug(null)
                .setName(null)
                .setDate(date)
                .setOpen(open)
                .setHigh(high)
                .setLow(low)
                .setClose(close)
                .setVolume(volume)
                .setMarket(market)
                .setSource(RecordSource.UPLOAD)
                .setUploadId(uploadId)
                .setFileLine(line)
                .setFileSha256(null)
                .setRawTopic(null)
                .setRawPartition(null)
                .setRawOffset(null)
                .setIngestVersion(INGEST_VERSION)
                .setReceivedAt(RECEIVED_AT)
                .build();
    }

    /** The reference predictions. */
    public static List<Expected> expected() {
        List<Expected> rows = new ArrayList<>();
        List<String> lines = lines(EXPECTED);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            rows.add(new Expected(f[0], Integer.parseInt(f[1]), LocalDate.parse(f[2]), Double.parseDouble(f[3])));
        }
        return rows;
    }

    /** A configuration for TopologyTestDriver tests: the catalogue's topic names, plain Java engine. */
    public static ScoringConfig config(
            String applicationId, Path stateDir, RecordSerdes serdes, String codeVersion, int maxBatch) {
        return config(
                applicationId,
                "127.0.0.1:9",
                stateDir,
                TestTopics.catalogue(),
                serdes,
                codeVersion,
                maxBatch,
                Engine.JAVA);
    }

    /** A configuration for tests: fast commits and fetches, no store cache. */
    public static ScoringConfig config(
            String applicationId,
            String bootstrap,
            Path stateDir,
            TestTopics topics,
            RecordSerdes serdes,
            String codeVersion,
            int maxBatch,
            Engine engine) {
        return config(
                applicationId,
                bootstrap,
                stateDir,
                topics,
                serdes,
                codeVersion,
                maxBatch,
                engine,
                ScoringConfig.DEFAULT_FLUSH_INTERVAL);
    }

    /** {@link #config(String, String, Path, TestTopics, RecordSerdes, String, int, Engine)} with its own flush interval. */
    public static ScoringConfig config(
            String applicationId,
            String bootstrap,
            Path stateDir,
            TestTopics topics,
            RecordSerdes serdes,
            String codeVersion,
            int maxBatch,
            Engine engine,
            Duration flushInterval) {
        return config(
                applicationId,
                KafkaAccess.plaintext(bootstrap),
                stateDir,
                topics,
                serdes,
                codeVersion,
                maxBatch,
                engine,
                flushInterval);
    }

    /** The same configuration against a broker reached with {@code kafka} (a SASL login, for example). */
    public static ScoringConfig config(
            String applicationId,
            KafkaAccess kafka,
            Path stateDir,
            TestTopics topics,
            RecordSerdes serdes,
            String codeVersion,
            int maxBatch,
            Engine engine,
            Duration flushInterval) {
        return new ScoringConfig(
                applicationId,
                kafka,
                stateDir,
                topics.input(),
                topics.predictions(),
                topics.accepted(),
                topics.accuracy(),
                topics.verdicts(),
                topics.rejected(),
                topics.models(),
                serdes,
                codeVersion,
                engine,
                maxBatch,
                flushInterval,
                TEST_VERDICT_INTERVAL,
                1,
                0,
                TEST_COMMIT_INTERVAL,
                0,
                TEST_FETCH_MAX_WAIT,
                Duration.ZERO,
                ScoringConfig.DEFAULT_MAX_POLL_RECORDS,
                ScoringConfig.DEFAULT_COMPRESSION);
    }

    /** The key ingest gives a record. */
    public static String key(PriceRecord r) {
        return SeriesKeys.of(r.getDataset(), r.getSymbol());
    }

    /**
     * Random-walk daily prices: {@code datasets} x the 20 known symbols, {@code days} each, in day order
     * (all series' day 0, then day 1, ...).
     */
    public static List<PriceRecord> randomWalks(int datasets, int days, long seed) {
        Random random = new Random(seed);
        int series = datasets * KNOWN_SYMBOLS.size();
        double[] level = new double[series];
        for (int s = 0; s < series; s++) {
            level[s] = 1 + random.nextDouble() * 100;
        }
        LocalDate start = LocalDate.of(2017, 1, 1);
        List<PriceRecord> records = new ArrayList<>(series * days);
        for (int d = 0; d < days; d++) {
            for (int s = 0; s < series; s++) {
                double open = level[s];
                double close = open * Math.exp(random.nextGaussian() * 0.03);
                double high = Math.max(open, close) * (1 + random.nextDouble() * 0.02);
                double low = Math.min(open, close) * (1 - random.nextDouble() * 0.02);
                level[s] = close;
                records.add(price(
                        "walk" + (s / KNOWN_SYMBOLS.size()),
                        KNOWN_SYMBOLS.get(s % KNOWN_SYMBOLS.size()),
                        start.plusDays(d),
                        open,
                        high,
                        low,
                        close,
                        1000 + random.nextInt(1000),
                        close * 1_000_000,
                        "walk-upload",
                        (long) d + 2));
            }
        }
        return records;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = TestData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows per symbol in order, as the forecaster indexes them. */
    public static Map<String, List<PriceRecord>> bySymbol(List<PriceRecord> records) {
        Map<String, List<PriceRecord>> m = new HashMap<>();
        records.forEach(
                r -> m.computeIfAbsent(r.getSymbol(), s -> new ArrayList<>()).add(r));
        return m;
    }
}

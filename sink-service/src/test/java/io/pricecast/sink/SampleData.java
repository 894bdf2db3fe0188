package io.pricecast.sink;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.model.accuracy.RollingAccuracy;
import io.pricecast.model.accuracy.SeriesAccuracy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data scientist's sample (1,095 daily prices of BTC, LTC, XRP) and reference predictions, turned
 * into the records ingest and scoring would publish, with realistic lineage.
 */
final class SampleData {

    static final String MODEL_VERSION = "ds-keras-v1";
    static final String MODEL_SHA256 = "a".repeat(64);
    static final String SCALER_SHA256 = "b".repeat(64);
    static final String FILE_SHA256 = "c".repeat(64);
    static final String FEATURE_SPEC = "features-v1";
    static final int WINDOW = 5;

    /** One row of the reference predictions file. */
    record Expected(String symbol, int index, String date, double predOpen, String valOpen, String predOpenText) {}

    private SampleData() {}

    /** @return the sample's rows as clean price records of {@code dataset}, in file order */
    static List<PriceRecord> prices(String dataset, String uploadId) {
        List<PriceRecord> result = new ArrayList<>();
        List<String> lines = lines("crypto_sample.csv");
        Instant received = Instant.parse("2024-05-01T10:00:00Z");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            result.add(PriceRecord.newBuilder()
                    .setDataset(dataset)
                    .setSymbol(f[0])
                    .setSlug(f[2])
                    .setName(f[3])
                    .setDate(LocalDate.parse(f[4]))
                    .setOpen(Double.parseDouble(f[6]))
                    .setHigh(Double.parseDouble(f[7]))
                    .setLow(Double.parseDouble(f[8]))
                    .setClose(Double.parseDouble(f[9]))
                    .setVolume(Double.parseDouble(f[10]))
                    .setMarket(Double.parseDouble(f[11]))
                    .setSource(RecordSource.UPLOAD)
                    .setUploadId(uploadId)
                    .setFileLine((long) i + 1)
                    .setFileSha256(FILE_SHA256)
                    .setIngestVersion("ingest-test")
                    .setReceivedAt(received)
                    .build());
        }
        return result;
    }

    /** @return the reference predictions file */
    static List<Expected> expected() {
        List<Expected> result = new ArrayList<>();
        List<String> lines = lines("crypto_sample_expected_preds.csv");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            result.add(new Expected(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[3]), f[4], f[3]));
        }
        return result;
    }

    /**
     * The forecasts scoring would make from {@code prices}: one per price record (base date D, target D+1),
     * the reference value where the reference has one, an invented one for each series' newest day.
     *
     * @param prices    the price records, in the order they were published
     * @param positions where each was published (same order)
     * @return the predictions, in the same order
     */
    static List<Prediction> predictions(List<PriceRecord> prices, List<InputRef> positions) {
        Map<String, Double> reference = new HashMap<>();
        for (Expected e : expected()) {
            reference.put(e.symbol() + "|" + e.date(), e.predOpen());
        }
        Map<String, List<InputRef>> history = new HashMap<>();
        List<Prediction> result = new ArrayList<>();
        Instant scored = Instant.parse("2024-05-01T10:00:05Z");
        for (int i = 0; i < prices.size(); i++) {
            PriceRecord p = prices.get(i);
            List<InputRef> h = history.computeIfAbsent(p.getSymbol(), s -> new ArrayList<>());
            h.add(positions.get(i));
            LocalDate target = p.getDate().plusDays(1);
            double pred = reference.getOrDefault(p.getSymbol() + "|" + target, p.getOpen() * 1.01);
            List<InputRef> window = List.copyOf(h.subList(Math.max(0, h.size() - WINDOW), h.size()));
            InputRef previous = h.size() > WINDOW ? h.get(h.size() - WINDOW - 1) : null;
            result.add(prediction(p, target, pred, window, previous, MODEL_VERSION, scored));
        }
        return result;
    }

    static Prediction prediction(
            PriceRecord p,
            LocalDate target,
            double pred,
            List<InputRef> window,
            InputRef previous,
            String modelVersion,
            Instant scoredAt) {
        return Prediction.newBuilder()
                .setPredictionId(p.getDataset() + "|" + p.getSymbol() + "|" + target + "|" + modelVersion)
                .setDataset(p.getDataset())
                .setSymbol(p.getSymbol())
                .setBaseDate(p.getDate())
                .setTargetDate(target)
                .setPredOpen(pred)
                .setBaseOpen(p.getOpen())
                .setModelOutput(0.125)
                .setModelVersion(modelVersion)
                .setModelSha256(MODEL_SHA256)
                .setScalerSha256(SCALER_SHA256)
                .setFeatureSpec(FEATURE_SPEC)
                .setWindow(window)
                .setPrevious(previous)
                .setUploadId(p.getUploadId())
                .setFileLine(p.getFileLine())
                .setRawTopic(p.getRawTopic())
                .setRawPartition(p.getRawPartition())
                .setRawOffset(p.getRawOffset())
                .setIngestVersion(p.getIngestVersion())
                .setScoringVersion("scoring-test")
                .setReceivedAt(p.getReceivedAt())
                .setScoredAt(scoredAt)
                .build();
    }

    /**
     * The accuracy records scoring would publish for these prices and forecasts: per series in day order, each
     * day's actual scores the forecasts waiting for it, then the day's own forecasts wait for theirs; the model
     * library's bookkeeping, the one scoring keeps.
     *
     * @param prices    price records of one or more series, each series in day order
     * @param forecasts forecasts made from those days (any model versions)
     * @return the scored forecasts, series by series in day order
     */
    static List<Accuracy> accuracy(List<PriceRecord> prices, List<Prediction> forecasts) {
        Map<String, List<Prediction>> byBase = new HashMap<>();
        forecasts.forEach(f -> byBase.computeIfAbsent(
                        f.getDataset() + "|" + f.getSymbol() + "|" + f.getBaseDate(), k -> new ArrayList<>())
                .add(f));
        Map<String, SeriesAccuracy> books = new java.util.LinkedHashMap<>();
        List<Accuracy> result = new ArrayList<>();
        Instant at = Instant.parse("2024-05-01T10:00:06Z");
        for (PriceRecord p : prices) {
            SeriesAccuracy book =
                    books.computeIfAbsent(p.getDataset() + "|" + p.getSymbol(), k -> SeriesAccuracy.empty());
            for (SeriesAccuracy.Scored s : book.actualArrived(p.getDate(), p.getOpen(), null)) {
                RollingAccuracy f = s.figures();
                result.add(Accuracy.newBuilder()
                        .setDataset(p.getDataset())
                        .setSymbol(p.getSymbol())
                        .setModelVersion(s.modelVersion())
                        .setPredictionId(
                                p.getDataset() + "|" + p.getSymbol() + "|" + s.targetDate() + "|" + s.modelVersion())
                        .setTargetDate(s.targetDate())
                        .setPredOpen(s.predOpen())
                        .setValOpen(s.valOpen())
                        .setBaseOpen(s.baseOpen())
                        .setAbsError(s.error().absError())
                        .setNaiveAbsError(s.error().naiveAbsError())
                        .setLastTargetDate(f.lastTargetDate())
                        .setScored7(f.scored7())
                        .setMad7(f.mad7())
                        .setNaiveMad7(f.naiveMad7())
                        .setScored30(f.scored30())
                        .setMad30(f.mad30())
                        .setNaiveMad30(f.naiveMad30())
                        .setFlagged(f.flagged())
                        .setScoringVersion("scoring-test")
                        .setEvaluatedAt(at)
                        .build());
            }
            for (Prediction f :
                    byBase.getOrDefault(p.getDataset() + "|" + p.getSymbol() + "|" + p.getDate(), List.of())) {
                book.forecastMade(
                        f.getModelVersion(), f.getTargetDate(), f.getPredOpen(), f.getBaseOpen(), p.getDate());
            }
        }
        return result;
    }

    /**
     * Synthetic live-feed forecasts: {@code symbols} series of {@code days} days each, interleaved by day.
     */
    static List<Prediction> synthetic(String dataset, int symbols, int days, String pricesTopic) {
        List<Prediction> result = new ArrayList<>(symbols * days);
        LocalDate start = LocalDate.of(2020, 1, 1);
        Instant t = Instant.parse("2024-05-01T00:00:00Z");
        for (int d = 0; d < days; d++) {
            for (int s = 0; s < symbols; s++) {
                LocalDate base = start.plusDays(d);
                long offset = (long) d * symbols + s;
                PriceRecord p = PriceRecord.newBuilder()
                        .setDataset(dataset)
                        .setSymbol(String.format("S%05d", s))
                        .setDate(base)
                        .setOpen(100 + s + d * 0.5)
                        .setHigh(110)
                        .setLow(90)
                        .setClose(101)
                        .setVolume(1)
                        .setMarket(1)
                        .setSource(RecordSource.CONSOLE)
                        .setRawTopic("prices.raw")
                        .setRawPartition(s % 3)
                        .setRawOffset(offset)
                        .setIngestVersion("ingest-test")
                        .setReceivedAt(t)
                        .build();
                InputRef ref = new InputRef(base, pricesTopic, s % 3, offset);
                result.add(prediction(
                        p, base.plusDays(1), 100 + s + d * 0.5 + 0.25, List.of(ref), null, MODEL_VERSION, t));
            }
        }
        return result;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = SampleData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from test resources");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

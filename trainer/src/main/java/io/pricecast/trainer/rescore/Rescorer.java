package io.pricecast.trainer.rescore;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.model.accuracy.RollingAccuracy;
import io.pricecast.model.accuracy.SeriesAccuracy;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.features.Features;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.schemas.PredictionId;
import io.pricecast.schemas.Rescoring;
import io.pricecast.trainer.data.StoredPrice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-scores stored history with a chosen model version: for each stored day D in a date range, the forecast of
 * D+1 exactly as the stream computes it (the model library's windows and forward pass), as a {@code Prediction}
 * with full lineage (the Kafka positions of the window's rows and the base row's upload line). The prediction
 * names the chosen version, so it lands in that version's rows ({@code model_version} is part of every key) and
 * never replaces a forecast of another version; {@code scoring_version} says it was a re-score. Each forecast whose
 * target day is stored is scored against it with the model library's {@link SeriesAccuracy}, the bookkeeping the
 * stream keeps per series, so a re-scored version's accuracy figures come from the same code as a live one's.
 */
public final class Rescorer {

    /** Prefix of {@code scoring_version} on re-scored predictions. */
    public static final String SCORING_VERSION_PREFIX = Rescoring.SCORING_VERSION_PREFIX;

    private final ModelBundle bundle;
    private final String version;
    private final ForwardPass network;
    private final String scoringVersion;

    public Rescorer(ModelBundle bundle, String codeVersion) {
        this.bundle = bundle;
        this.version = bundle.metadata().versionId();
        this.network = new PlainJavaBiGru(bundle.weights());
        this.scoringVersion = SCORING_VERSION_PREFIX + codeVersion;
    }

    /**
     * A series re-scored.
     *
     * @param predictions the forecasts of the base days in the range
     * @param accuracy    those of them whose target day is stored, scored against it, with the rolling figures of
     *                    the version over the re-scored days after each
     */
    public record Rescored(List<Prediction> predictions, List<Accuracy> accuracy) {}

    /**
     * @param rows one series' stored rows, oldest first (all history up to the range's end, and the day after it when
     *             stored: its actual scores the last forecast)
     * @return predictions for base days in {@code [from, to]} and their accuracy; empty when the model has no scaler for
     *         the symbol
     */
    public Optional<Rescored> rescore(
            String dataset, String symbol, List<StoredPrice> rows, LocalDate from, LocalDate to, Instant scoredAt) {
        Optional<SymbolScaler> found = bundle.scalers().forSymbol(symbol);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SymbolScaler scaler = found.get();
        List<DailyPrice> prices = rows.stream().map(StoredPrice::price).toList();
        float[] windows = Features.windows(prices, scaler);
        List<Prediction> out = new ArrayList<>();
        int first = 0;
        while (first < rows.size() && rows.get(first).price().date().isBefore(from)) {
            first++;
        }
        int last = first;
        while (last < rows.size() && !rows.get(last).price().date().isAfter(to)) {
            last++;
        }
        if (first == last) {
            return Optional.of(new Rescored(out, List.of()));
        }
        float[] outputs = network.predict(
                java.util.Arrays.copyOfRange(windows, first * Features.WINDOW_SIZE, last * Features.WINDOW_SIZE),
                last - first);
        for (int i = first; i < last; i++) {
            StoredPrice base = rows.get(i);
            DailyPrice day = base.price();
            float output = outputs[i - first];
            LocalDate target = day.date().plusDays(1);
            List<InputRef> window = new ArrayList<>();
            for (int k = Math.max(0, i - FeatureSpec.WINDOW_LENGTH + 1); k <= i; k++) {
                window.add(ref(rows.get(k)));
            }
            int previous = i - FeatureSpec.WINDOW_LENGTH;
            out.add(Prediction.newBuilder()
                    .setPredictionId(new PredictionId(dataset, symbol, target, version).toString())
                    .setDataset(dataset)
                    .setSymbol(symbol)
                    .setBaseDate(day.date())
                    .setTargetDate(target)
                    .setPredOpen(Forecaster.nextOpen(day.open(), output, scaler))
                    .setBaseOpen(day.open())
                    .setModelOutput(output)
                    .setModelVersion(version)
                    .setModelSha256(bundle.contentSha256())
                    .setScalerSha256(bundle.scalersSha256())
                    .setFeatureSpec(bundle.featureSpecVersion())
                    .setWindow(window)
                    .setPrevious(previous >= 0 ? ref(rows.get(previous)) : null)
                    .setUploadId(base.uploadId())
                    .setFileLine(base.fileLine())
                    .setRawTopic(base.rawTopic())
                    .setRawPartition(base.rawPartition())
                    .setRawOffset(base.rawOffset())
                    .setIngestVersion(base.ingestVersion() == null ? "unknown" : base.ingestVersion())
                    .setScoringVersion(scoringVersion)
                    .setReceivedAt(base.receivedAt() == null ? scoredAt : base.receivedAt())
                    .setScoredAt(scoredAt)
                    .build());
        }
        return Optional.of(new Rescored(out, accuracy(dataset, symbol, rows, first, out, scoredAt)));
    }

    /** Scores each forecast against the stored day it is for, as the stream does: in day order, one series' bookkeeping. */
    private List<Accuracy> accuracy(
            String dataset, String symbol, List<StoredPrice> rows, int first, List<Prediction> forecasts, Instant at) {
        SeriesAccuracy book = SeriesAccuracy.empty();
        List<Accuracy> scored = new ArrayList<>();
        int end = Math.min(rows.size(), first + forecasts.size() + 1);
        for (int i = first; i < end; i++) {
            StoredPrice row = rows.get(i);
            for (SeriesAccuracy.Scored s :
                    book.actualArrived(row.price().date(), row.price().open(), valueRef(row))) {
                scored.add(accuracy(dataset, symbol, s, at));
            }
            if (i - first < forecasts.size()) {
                Prediction p = forecasts.get(i - first);
                book.forecastMade(
                        p.getModelVersion(),
                        p.getTargetDate(),
                        p.getPredOpen(),
                        p.getBaseOpen(),
                        row.price().date());
            }
        }
        return scored;
    }

    private Accuracy accuracy(String dataset, String symbol, SeriesAccuracy.Scored s, Instant at) {
        RollingAccuracy f = s.figures();
        SeriesAccuracy.ValueRef ref = s.actual();
        return Accuracy.newBuilder()
                .setDataset(dataset)
                .setSymbol(symbol)
                .setModelVersion(s.modelVersion())
                .setPredictionId(new PredictionId(dataset, symbol, s.targetDate(), s.modelVersion()).toString())
                .setTargetDate(s.targetDate())
                .setPredOpen(s.predOpen())
                .setValOpen(s.valOpen())
                .setBaseOpen(s.baseOpen())
                .setAbsError(s.error().absError())
                .setNaiveAbsError(s.error().naiveAbsError())
                .setValTopic(ref == null ? null : ref.topic())
                .setValPartition(ref == null ? null : ref.partition())
                .setValOffset(ref == null ? null : ref.offset())
                .setLastTargetDate(f.lastTargetDate())
                .setScored7(f.scored7())
                .setMad7(f.mad7())
                .setNaiveMad7(f.naiveMad7())
                .setScored30(f.scored30())
                .setMad30(f.mad30())
                .setNaiveMad30(f.naiveMad30())
                .setFlagged(f.flagged())
                .setScoringVersion(scoringVersion)
                .setEvaluatedAt(at)
                .build();
    }

    private static SeriesAccuracy.ValueRef valueRef(StoredPrice row) {
        return row.kafkaTopic() == null || row.kafkaPartition() == null || row.kafkaOffset() == null
                ? null
                : new SeriesAccuracy.ValueRef(row.kafkaTopic(), row.kafkaPartition(), row.kafkaOffset());
    }

    private static InputRef ref(StoredPrice row) {
        return new InputRef(
                row.price().date(),
                row.kafkaTopic() == null ? "" : row.kafkaTopic(),
                row.kafkaPartition() == null ? -1 : row.kafkaPartition(),
                row.kafkaOffset() == null ? -1L : row.kafkaOffset());
    }
}

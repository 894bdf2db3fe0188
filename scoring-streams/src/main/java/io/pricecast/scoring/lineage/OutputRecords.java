package io.pricecast.scoring.lineage;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.accuracy.RollingAccuracy;
import io.pricecast.model.accuracy.SeriesAccuracy;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.schemas.PredictionId;
import io.pricecast.schemas.SeriesKeys;
import io.pricecast.scoring.state.SeriesWindow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the records the scorer writes, with the lineage docs/architecture.md ("Where lineage is recorded") promises: predictions carry the
 * Kafka position of every record of their window, the base record's upload / raw origin, model and scaler
 * hashes and code versions; rejections carry the input record's position and the scorer's code version.
 */
public final class OutputRecords {

    /** The {@code stage} of every rejection written by the scorer. */
    public static final String STAGE = "scoring";
    /** Longest raw text kept in a rejection (bytes of the original, before encoding). */
    public static final int MAX_RAW_BYTES = 4096;

    private final String scoringVersion;

    /** @param scoringVersion this build's code version */
    public OutputRecords(String scoringVersion) {
        this.scoringVersion = scoringVersion;
    }

    /** @return the code version stamped on what this builds */
    public String scoringVersion() {
        return scoringVersion;
    }

    /** The stable prediction id: {@code dataset|symbol|target_date|model_version}. */
    public static String predictionId(String dataset, String symbol, LocalDate targetDate, String modelVersion) {
        return new PredictionId(dataset, symbol, targetDate, modelVersion).toString();
    }

    /**
     * A prediction for the day after {@code record}'s, complete except for the network's output,
     * {@code pred_open} and {@code scored_at} (see {@link #complete}).
     */
    public Prediction draft(PriceRecord record, SeriesWindow window, LoadedModel model) {
        return draft(
                record,
                window,
                model.version(),
                model.sha256(),
                model.bundle().scalersSha256(),
                model.bundle().featureSpecVersion());
    }

    /** {@link #draft(PriceRecord, SeriesWindow, LoadedModel)} from the model's identity and hashes alone. */
    public Prediction draft(
            PriceRecord record,
            SeriesWindow window,
            String modelVersion,
            String modelSha256,
            String scalerSha256,
            String featureSpec) {
        LocalDate target = record.getDate().plusDays(1);
        return Prediction.newBuilder()
                .setPredictionId(predictionId(record.getDataset(), record.getSymbol(), target, modelVersion))
                .setDataset(record.getDataset())
                .setSymbol(record.getSymbol())
                .setBaseDate(record.getDate())
                .setTargetDate(target)
                .setPredOpen(0.0)
                .setBaseOpen(record.getOpen())
                .setModelOutput(0.0)
                .setModelVersion(modelVersion)
                .setModelSha256(modelSha256)
                .setScalerSha256(scalerSha256)
                .setFeatureSpec(featureSpec)
                .setWindow(window.windowRefs())
                .setPrevious(window.previousRef())
                .setUploadId(record.getUploadId())
                .setFileLine(record.getFileLine())
                .setRawTopic(record.getRawTopic())
                .setRawPartition(record.getRawPartition())
                .setRawOffset(record.getRawOffset())
                .setIngestVersion(record.getIngestVersion())
                .setScoringVersion(scoringVersion)
                .setReceivedAt(record.getReceivedAt())
                .setScoredAt(Instant.EPOCH)
                .build();
    }

    /** The draft with the network's output, the forecast open computed from it, and the scoring time. */
    public static Prediction complete(Prediction draft, float output, double predictedOpen, Instant scoredAt) {
        draft.setModelOutput((double) output);
        draft.setPredOpen(predictedOpen);
        draft.setScoredAt(scoredAt);
        return draft;
    }

    /**
     * The accuracy record of a forecast scored against its actual, with the rolling figures after it.
     *
     * @param dataset the series' dataset
     * @param symbol  the series id
     * @param scored  what the accuracy bookkeeping scored
     * @param at      when
     */
    public Accuracy accuracy(String dataset, String symbol, SeriesAccuracy.Scored scored, Instant at) {
        RollingAccuracy f = scored.figures();
        SeriesAccuracy.ValueRef ref = scored.actual();
        return new Accuracy(
                dataset,
                symbol,
                scored.modelVersion(),
                predictionId(dataset, symbol, scored.targetDate(), scored.modelVersion()),
                scored.targetDate(),
                scored.predOpen(),
                scored.valOpen(),
                scored.baseOpen(),
                scored.error().absError(),
                scored.error().naiveAbsError(),
                ref == null ? null : ref.topic(),
                ref == null ? null : ref.partition(),
                ref == null ? null : ref.offset(),
                f.lastTargetDate(),
                f.scored7(),
                f.mad7(),
                f.naiveMad7(),
                f.scored30(),
                f.mad30(),
                f.naiveMad30(),
                f.flagged(),
                scoringVersion,
                at);
    }

    /** A rejection of a readable record that could not be scored. */
    public RejectedRecord rejected(
            PriceRecord record, RecordMetadata position, String reason, String field, String message, Instant at) {
        return RejectedRecord.newBuilder()
                .setDataset(record.getDataset())
                .setSymbol(record.getSymbol())
                .setDate(record.getDate())
                .setStage(STAGE)
                .setReason(reason)
                .setField(field)
                .setMessage((record.getFileLine() == null ? "" : "line " + record.getFileLine() + ": ") + message + " ("
                        + where(position) + ")")
                .setRaw(null)
                .setSource(record.getSource())
                .setUploadId(record.getUploadId())
                .setFileLine(record.getFileLine())
                .setRawTopic(position.topic())
                .setRawPartition(position.partition())
                .setRawOffset(position.offset())
                .setCodeVersion(scoringVersion)
                .setRejectedAt(at)
                .build();
    }

    /**
     * A rejection of a window that was accepted but cannot be scored any more (its model vanished from the
     * registry while it waited for its batch), from its draft prediction: the position is the base record's.
     */
    public RejectedRecord unscorable(Prediction draft, String reason, String message, Instant at) {
        InputRef base = draft.getWindow().get(draft.getWindow().size() - 1);
        return RejectedRecord.newBuilder()
                .setDataset(draft.getDataset())
                .setSymbol(draft.getSymbol())
                .setDate(draft.getBaseDate())
                .setStage(STAGE)
                .setReason(reason)
                .setField(null)
                .setMessage(message + " (" + base.getTopic() + "-" + base.getPartition() + "@" + base.getOffset() + ")")
                .setRaw(null)
                .setSource(draft.getUploadId() != null ? RecordSource.UPLOAD : RecordSource.CONSOLE)
                .setUploadId(draft.getUploadId())
                .setFileLine(draft.getFileLine())
                .setRawTopic(base.getTopic())
                .setRawPartition(base.getPartition())
                .setRawOffset(base.getOffset())
                .setCodeVersion(scoringVersion)
                .setRejectedAt(at)
                .build();
    }

    /**
     * A rejection of a record whose value cannot be read as a {@code PriceRecord}. The dataset and symbol are the
     * key's parts ({@link SeriesKeys}) when it is a series key, else the dataset is empty and the symbol null; the source is unknown and recorded as {@code CONSOLE}; the raw bytes are
     * kept base64-encoded (truncated).
     */
    public RejectedRecord unreadable(
            String key, byte[] value, RecordMetadata position, String reason, String why, Instant at) {
        String symbol = key == null ? null : SeriesKeys.series(key);
        String dataset = symbol == null ? "" : SeriesKeys.dataset(key);
        String raw = null;
        if (value != null) {
            byte[] kept = value.length <= MAX_RAW_BYTES ? value : Arrays.copyOf(value, MAX_RAW_BYTES);
            raw = "base64:" + new String(Base64.getEncoder().encode(kept), StandardCharsets.US_ASCII);
        }
        return RejectedRecord.newBuilder()
                .setDataset(dataset)
                .setSymbol(symbol)
                .setDate(null)
                .setStage(STAGE)
                .setReason(reason)
                .setField(null)
                .setMessage(why + " (" + where(position) + ")")
                .setRaw(raw)
                .setSource(RecordSource.CONSOLE)
                .setUploadId(null)
                .setFileLine(null)
                .setRawTopic(position.topic())
                .setRawPartition(position.partition())
                .setRawOffset(position.offset())
                .setCodeVersion(scoringVersion)
                .setRejectedAt(at)
                .build();
    }

    private static String where(RecordMetadata position) {
        return position.topic() + "-" + position.partition() + "@" + position.offset();
    }
}

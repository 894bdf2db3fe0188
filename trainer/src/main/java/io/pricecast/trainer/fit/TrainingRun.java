package io.pricecast.trainer.fit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pricecast.model.bundle.BundleMetadata;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.trainer.data.OffsetRange;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.evaluate.HeldOutMad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run end to end: trains, assembles the model bundle (weights, scalers, hyper-parameters) and
 * records in its metadata everything an auditor needs to name and reproduce it — the training data (source,
 * symbols with their date ranges, row count, the rows' content sha256, the Kafka offset ranges they came from),
 * the code version, the seed and hyper-parameters, the epochs, and the held-out metrics per symbol against the
 * active model and the naive forecast. The metadata is descriptive (outside the content sha256); the content
 * sha256 is a deterministic function of the rows and the configuration.
 */
public final class TrainingRun {

    /** {@link BundleMetadata#source()} prefix of trained bundles. */
    public static final String SOURCE_PREFIX = "pricecast trainer, code ";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingRun() {}

    /**
     * What a run produced.
     *
     * @param bundle  the trained bundle
     * @param heldOut its held-out metrics
     * @param result  the trainer's result (history, split, skipped symbols)
     */
    public record Outcome(ModelBundle bundle, HeldOutMad.Summary heldOut, Trainer.Result result) {}

    /**
     * @param active      the currently active model (compared on the held-out tail), or {@code null}
     * @param codeVersion the git commit of the trainer
     */
    public static Outcome run(
            TrainingData data,
            TrainingConfig config,
            String versionId,
            Instant createdAt,
            ModelBundle active,
            String codeVersion,
            Trainer.Progress progress) {
        Trainer.Result result = new Trainer(config, progress).train(data);
        Map<String, Object> hypers = config.asHypers();
        hypers.put("trained_epochs", result.history().size());
        hypers.put("best_epoch", result.bestEpoch());
        hypers.put("training_rows_sha256", data.contentSha256());
        ModelBundle unlabelled = ModelBundle.of(
                new BundleMetadata(versionId, createdAt, SOURCE_PREFIX + codeVersion, "{}"),
                result.weights(),
                result.scalers(),
                hypers);
        HeldOutMad.Summary heldOut = new HeldOutMad(unlabelled, active)
                .evaluate(data.series(), result.cutoffs().heldOutFrom());
        String record = provenance(data, config, result, heldOut, active, codeVersion);
        ModelBundle bundle =
                unlabelled.withMetadata(new BundleMetadata(versionId, createdAt, SOURCE_PREFIX + codeVersion, record));
        progress.report(String.format(
                "held-out MAD from %s: candidate %s, active %s, naive %.6g (%d symbols compared)",
                result.cutoffs().heldOutFrom(),
                format(heldOut.candidate()),
                format(heldOut.active()),
                heldOut.naive(),
                heldOut.comparedSymbols()));
        return new Outcome(bundle, heldOut, result);
    }

    private static String format(java.util.OptionalDouble value) {
        return value.isPresent() ? String.format("%.6g", value.getAsDouble()) : "n/a";
    }

    private static String provenance(
            TrainingData data,
            TrainingConfig config,
            Trainer.Result result,
            HeldOutMad.Summary heldOut,
            ModelBundle active,
            String codeVersion) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "pricecast-training-record/1");
        doc.put("code_version", codeVersion);
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("source", data.source());
        rows.put("row_count", data.rowCount());
        rows.put("rows_sha256", data.contentSha256());
        rows.put(
                "rows_hash",
                "sha256 over symbols ascending, rows by date: symbol, 0x00, ISO date, 0x00, "
                        + "open high low close volume market as float64 LE");
        rows.put("first_date", data.firstDate().toString());
        rows.put("last_date", data.lastDate().toString());
        List<Map<String, Object>> offsets = new ArrayList<>();
        for (OffsetRange r : data.offsets()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("topic", r.topic());
            o.put("partition", r.partition());
            o.put("first_offset", r.first());
            o.put("last_offset", r.last());
            o.put("rows", r.rows());
            offsets.add(o);
        }
        rows.put("kafka_offsets", offsets);
        List<Map<String, Object>> symbols = new ArrayList<>();
        for (TrainingData.SeriesSpan span : data.spans()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("symbol", span.symbol());
            s.put("first", span.first().toString());
            s.put("last", span.last().toString());
            s.put("rows", span.rows());
            s.put("trained", result.scalers().contains(span.symbol()));
            symbols.add(s);
        }
        rows.put("symbols", symbols);
        doc.put("training_data", rows);
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("training_targets_before", result.cutoffs().validationFrom().toString());
        split.put("validation_targets_from", result.cutoffs().validationFrom().toString());
        split.put("held_out_targets_from", result.cutoffs().heldOutFrom().toString());
        split.put("training_windows", result.trainWindows());
        split.put("validation_windows", result.validationWindows());
        split.put("trained_symbols", result.scalers().size());
        split.put("skipped_symbols", result.skipped());
        doc.put("split", split);
        doc.put("seed", config.seed());
        doc.put("hypers", config.asHypers());
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (Trainer.Epoch e : result.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("validation_loss", e.validationLoss());
            m.put("millis", e.millis());
            epochs.add(m);
        }
        doc.put("epochs", epochs);
        doc.put("best_epoch", result.bestEpoch());
        Map<String, Object> metrics = HeldOutMad.describe(heldOut);
        metrics.put("active_version", active == null ? null : active.metadata().versionId());
        metrics.put("active_sha256", active == null ? null : active.contentSha256());
        doc.put("held_out_metrics", metrics);
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the training record", e);
        }
    }
}

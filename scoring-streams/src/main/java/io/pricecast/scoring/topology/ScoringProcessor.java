package io.pricecast.scoring.topology;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.accuracy.SeriesAccuracy;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.schemas.RejectReason;
import io.pricecast.schemas.SeriesKeys;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.history.HistoryRules;
import io.pricecast.scoring.history.UploadTallies;
import io.pricecast.scoring.lineage.OutputRecords;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.state.KnownActual;
import io.pricecast.scoring.state.ParkedWindow;
import io.pricecast.scoring.state.PendingScore;
import io.pricecast.scoring.state.SeriesHistory;
import io.pricecast.scoring.state.SeriesWindow;
import io.pricecast.scoring.state.UploadTally;
import io.pricecast.scoring.state.WindowEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges and scores each price record. It judges the record against its series' history ({@link HistoryRules}):
 * a duplicate is counted, a refusal goes to the rejected topic, and an accepted record advances the series store and
 * is published on the accepted topic, scoring the series' forecast of that day against it (the accuracy topic).
 * Then it builds the scaled window with the active model's scaler and the prediction's lineage, and hands it to the
 * {@link BatchScorer}: scored at once ({@code maxBatch} 1), or parked in the changelogged pending store until a
 * batch is full or the flush punctuator fires; what the batch scorer gives back is forwarded here. Each judgement of an upload's record is counted in the uploads store, published as verdicts by
 * a punctuator. Every input record ends in exactly one outcome: accepted (a prediction, or a rejection saying why
 * none), a counted duplicate, or a rejection.
 *
 * <p>A parked window is kept twice: scored from memory, and in the pending store as what it was made from
 * ({@link ParkedWindow}: the input bytes, the series, the model's identity) so that a restored task can rebuild
 * it. Writing that costs a copy of the input bytes instead of an encoding of the draft, and with the store's
 * cache only windows still waiting at a commit reach the changelog.
 */
final class ScoringProcessor implements Processor<String, byte[], String, Object> {

    /** Series histories kept as objects per task. */
    static final int HISTORIES_KEPT = 20_000;
    /** Uploads whose counts did not change for this long are forgotten when a task starts. */
    static final Duration UPLOAD_TALLY_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(ScoringProcessor.class);

    private final Deserializer<PriceRecord> prices;
    private final ScoringResources resources;
    private final OutputRecords outputRecords;
    private final int maxBatch;
    private final Duration flushInterval;
    private final Duration verdictInterval;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SeriesHistory> series;
    private KeyValueStore<String, KnownActual> actuals;
    /**
     * The series histories this task read or wrote, as objects: the store's cache holds bytes, and a backfill reads
     * and writes one series many times in a row (each record, then each of its forecasts). Written through to the
     * store on every change; cleared when the task is (re)initialised.
     */
    private final Map<String, SeriesHistory> histories = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SeriesHistory> eldest) {
            return size() > HISTORIES_KEPT;
        }
    };
    /** Per series, the target days of its forecasts drafted and not yet made (parked or in a forward pass). */
    private final Map<String, Set<LocalDate>> inFlightTargets = new HashMap<>();

    private KeyValueStore<Long, ParkedWindow> pending;
    private UploadTallies uploads;
    private ModelRegistryView models;
    /**
     * The windows drafted and not yet scored, in memory (the pending store's content in key order, so a flush
     * does not read back what this task just wrote) or in a forward pass.
     */
    private BatchScorer batches;

    private Cancellable flushPunctuator;
    private Cancellable verdictPunctuator;
    private long nextSequence;

    ScoringProcessor(
            Deserializer<PriceRecord> prices,
            ScoringResources resources,
            OutputRecords outputRecords,
            int maxBatch,
            Duration flushInterval,
            Duration verdictInterval) {
        this.prices = prices;
        this.resources = resources;
        this.outputRecords = outputRecords;
        this.maxBatch = maxBatch;
        this.flushInterval = flushInterval;
        this.verdictInterval = verdictInterval;
    }

    private boolean batching() {
        return maxBatch > 1;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        series = context.getStateStore(ScoringTopology.SERIES_STORE);
        actuals = context.getStateStore(ScoringTopology.ACTUALS_STORE);
        histories.clear();
        inFlightTargets.clear();
        KeyValueStore<String, UploadTally> tallies = context.getStateStore(ScoringTopology.UPLOADS_STORE);
        uploads = new UploadTallies(
                tallies, context.taskId().partition(), context.currentSystemTimeMs(), UPLOAD_TALLY_RETENTION);
        verdictPunctuator = context.schedule(
                verdictInterval,
                PunctuationType.WALL_CLOCK_TIME,
                now -> uploads.publish(
                        v -> context.forward(
                                new Record<String, Object>(v.getUploadId(), v, now), ScoringTopology.VERDICTS_SINK),
                        outputRecords.scoringVersion()));
        KeyValueStore<String, ModelEvent> registry = context.getStateStore(ScoringTopology.MODELS_STORE);
        models = new ModelRegistryView(registry, resources.models(), resources.meters());
        batches = new BatchScorer(maxBatch, models::byIdentity, resources.forwardPasses(), new BatchScorer.Outcomes() {
            @Override
            public void scored(List<PendingScore> run, LoadedModel model, float[] outputs) {
                forwardScored(run, model, outputs);
            }

            @Override
            public void unscorable(PendingScore score) {
                rejectUnavailable(score);
            }

            @Override
            public void released(long sequence) {
                // put(null) rather than delete(): the same tombstone, without reading and decoding the old value
                pending.put(sequence, null);
            }
        });
        if (batching()) {
            pending = context.getStateStore(ScoringTopology.PENDING_STORE);
            try (KeyValueIterator<Long, ParkedWindow> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<Long, ParkedWindow> next = all.next();
                    PendingScore restored = restore(next.value);
                    batches.restored(next.key, restored);
                    inFlight(restored.key()).add(restored.draft().getTargetDate());
                    nextSequence = next.key + 1;
                }
            }
            if (batches.buffered() > 0) {
                LOG.info("task {}: {} windows restored from the pending store", context.taskId(), batches.buffered());
            }
            flushPunctuator =
                    context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> batches.punctuate());
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        batches.forwardCompleted(BatchScorer.MAX_IN_FLIGHT);
        RecordMetadata position = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("a source record without metadata"));
        long nowMs = context.currentSystemTimeMs();
        Instant now = Instant.ofEpochMilli(nowMs);
        PriceRecord price;
        try {
            price = prices.deserialize(position.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            LOG.warn(
                    "unreadable record at {}-{}@{}: {}",
                    position.topic(),
                    position.partition(),
                    position.offset(),
                    e.toString());
            reject(
                    record,
                    outputRecords.unreadable(
                            record.key(),
                            record.value(),
                            position,
                            RejectReason.UNREADABLE_RECORD.code(),
                            "cannot read a PriceRecord: " + e.getMessage(),
                            now));
            return;
        }
        if (price == null) {
            reject(
                    record,
                    outputRecords.unreadable(
                            record.key(),
                            null,
                            position,
                            RejectReason.UNREADABLE_RECORD.code(),
                            "empty record (tombstone)",
                            now));
            return;
        }
        String key = record.key() != null ? record.key() : SeriesKeys.of(price.getDataset(), price.getSymbol());
        SeriesHistory history = history(key);
        DailyPrice day = new DailyPrice(
                price.getDate(),
                price.getOpen(),
                price.getHigh(),
                price.getLow(),
                price.getClose(),
                price.getVolume(),
                price.getMarket());
        HistoryRules.Verdict verdict = HistoryRules.judge(history.window(), day, price.getSymbol());
        if (verdict.outcome() == HistoryRules.Outcome.DUPLICATE) {
            resources.meters().duplicate();
            uploads.duplicate(price.getUploadId(), price.getDataset(), nowMs);
            return;
        }
        if (verdict.outcome() == HistoryRules.Outcome.REJECTED) {
            reject(record, outputRecords.rejected(price, position, verdict.reason(), "date", verdict.message(), now));
            uploads.rejected(price.getUploadId(), price.getDataset(), verdict.reason(), nowMs);
            return;
        }
        accept(record, price, key, history, day, position, now);
    }

    /** The record extends its series: store and publish it, score the series' forecast of its day, then draft its own. */
    private void accept(
            Record<String, byte[]> record,
            PriceRecord price,
            String key,
            SeriesHistory history,
            DailyPrice day,
            RecordMetadata position,
            Instant now) {
        SeriesWindow advanced = history.window()
                .append(new WindowEntry(day, position.topic(), position.partition(), position.offset()));
        context.forward(
                new Record<String, Object>(key, record.value(), record.timestamp(), record.headers()),
                ScoringTopology.ACCEPTED_SINK);
        resources.meters().accepted();
        uploads.accepted(price.getUploadId(), price.getDataset(), now.toEpochMilli());
        SeriesAccuracy accuracy = history.accuracy();
        SeriesAccuracy.ValueRef here =
                new SeriesAccuracy.ValueRef(position.topic(), position.partition(), position.offset());
        forwardAccuracy(
                key,
                price.getDataset(),
                price.getSymbol(),
                record.timestamp(),
                now,
                accuracy.actualArrived(day.date(), day.open(), here));
        if (inFlight(key).contains(day.date())) {
            // the forecast of this day is still being computed: its actual waits for it
            actuals.put(actualKey(key, day.date()), new KnownActual(day.open(), here));
        }

        LoadedModel model = models.active();
        Optional<SymbolScaler> scaler = model.bundle().scalers().forSymbol(price.getSymbol());
        if (scaler.isEmpty()) {
            putHistory(key, history.withWindow(advanced));
            reject(
                    record,
                    outputRecords.rejected(
                            price,
                            position,
                            RejectReason.UNKNOWN_SYMBOL.code(),
                            "symbol",
                            "model " + model.version() + " has no scaler for symbol " + price.getSymbol(),
                            now));
            uploads.notForecast(
                    price.getUploadId(), price.getDataset(), RejectReason.UNKNOWN_SYMBOL.code(), now.toEpochMilli());
            return;
        }
        inFlight(key).add(day.date().plusDays(1));
        putHistory(key, history.withWindow(advanced));
        PendingScore score = new PendingScore(
                key,
                record.timestamp(),
                outputRecords.draft(price, advanced, model),
                advanced.scaledWindow(scaler.get()));
        if (!batching()) {
            batches.scoreAlone(score);
            return;
        }
        pending.put(
                nextSequence,
                new ParkedWindow(
                        key,
                        record.timestamp(),
                        record.headers(),
                        record.value(),
                        advanced,
                        model.version(),
                        model.sha256()));
        batches.park(nextSequence, score);
        nextSequence++;
    }

    /**
     * A forecast is made: scored now if the actual of its day arrived while it was computed, else kept waiting for it
     * in the series' history (or dropped, when the series moved past its day without it).
     */
    private void scoreAgainstKnownActual(PendingScore score, Prediction done, Instant now) {
        String key = score.key();
        forecastDone(key, done.getTargetDate());
        SeriesHistory history = history(key);
        String actualKey = actualKey(key, done.getTargetDate());
        KnownActual known = actuals.get(actualKey);
        if (known != null) {
            actuals.put(actualKey, null);
            SeriesAccuracy.Scored scored = history.accuracy()
                    .scoreKnown(
                            done.getModelVersion(),
                            done.getTargetDate(),
                            done.getPredOpen(),
                            done.getBaseOpen(),
                            known.open(),
                            known.ref());
            putHistory(key, history);
            forwardAccuracy(key, done.getDataset(), done.getSymbol(), score.timestamp(), now, List.of(scored));
        } else if (history.accuracy()
                .forecastMade(
                        done.getModelVersion(),
                        done.getTargetDate(),
                        done.getPredOpen(),
                        done.getBaseOpen(),
                        history.window().newestDate())) {
            putHistory(key, history);
        }
    }

    private SeriesHistory history(String key) {
        SeriesHistory history = histories.get(key);
        if (history == null) {
            history = series.get(key);
            if (history == null) {
                history = SeriesHistory.empty();
            }
            histories.put(key, history);
        }
        return history;
    }

    private void putHistory(String key, SeriesHistory history) {
        histories.put(key, history);
        series.put(key, history);
    }

    private Set<LocalDate> inFlight(String key) {
        return inFlightTargets.computeIfAbsent(key, k -> new HashSet<>());
    }

    private void forecastDone(String key, LocalDate target) {
        Set<LocalDate> targets = inFlightTargets.get(key);
        if (targets != null) {
            targets.remove(target);
            if (targets.isEmpty()) {
                inFlightTargets.remove(key);
            }
        }
    }

    private static String actualKey(String seriesKey, LocalDate day) {
        return seriesKey + SeriesKeys.SEPARATOR + day;
    }

    private void forwardAccuracy(
            String key,
            String dataset,
            String symbol,
            long timestamp,
            Instant now,
            List<SeriesAccuracy.Scored> scored) {
        for (SeriesAccuracy.Scored s : scored) {
            context.forward(
                    new Record<String, Object>(key, outputRecords.accuracy(dataset, symbol, s, now), timestamp),
                    ScoringTopology.ACCURACY_SINK);
        }
        resources.meters().accuracyScored(scored.size());
    }

    /**
     * A parked window back in memory: its draft and scaled window rebuilt with the model that drafted it, or,
     * when that model is no longer available, a draft without a scaled window, which the batch scorer finds
     * unscorable (rejected at the first flush).
     */
    private PendingScore restore(ParkedWindow parked) {
        SeriesWindow window = parked.series();
        PriceRecord price = prices.deserialize(window.newest().topic(), parked.headers(), parked.value());
        Optional<LoadedModel> model = models.byIdentity(parked.modelVersion(), parked.modelSha256());
        if (model.isEmpty()) {
            return new PendingScore(
                    parked.key(),
                    parked.timestamp(),
                    outputRecords.draft(price, window, parked.modelVersion(), parked.modelSha256(), "", ""),
                    null);
        }
        SymbolScaler scaler = model.get()
                .bundle()
                .scalers()
                .forSymbol(price.getSymbol())
                .orElseThrow(() -> new IllegalStateException("model " + parked.modelVersion() + " drafted a window of "
                        + price.getSymbol() + " but has no scaler for it"));
        return new PendingScore(
                parked.key(),
                parked.timestamp(),
                outputRecords.draft(price, window, model.get()),
                window.scaledWindow(scaler));
    }

    private void reject(Record<String, byte[]> record, RejectedRecord rejection) {
        resources.meters().rejected(rejection.getReason());
        context.forward(
                new Record<String, Object>(record.key(), rejection, record.timestamp()), ScoringTopology.REJECTED_SINK);
    }

    private void rejectUnavailable(PendingScore score) {
        Prediction draft = score.draft();
        LOG.error(
                "prediction {} cannot be scored: model {} (sha256 {}) is no longer available",
                draft.getPredictionId(),
                draft.getModelVersion(),
                draft.getModelSha256());
        resources.meters().rejected(RejectReason.MODEL_UNAVAILABLE.code());
        long nowMs = context.currentSystemTimeMs();
        context.forward(
                new Record<String, Object>(
                        score.key(),
                        outputRecords.unscorable(
                                draft,
                                RejectReason.MODEL_UNAVAILABLE.code(),
                                "model " + draft.getModelVersion() + " (sha256 " + draft.getModelSha256()
                                        + ") that drafted this window " + "is no longer in the registry",
                                Instant.ofEpochMilli(nowMs)),
                        score.timestamp()),
                ScoringTopology.REJECTED_SINK);
        forecastDone(score.key(), draft.getTargetDate());
        actuals.put(actualKey(score.key(), draft.getTargetDate()), null);
        uploads.notForecast(draft.getUploadId(), draft.getDataset(), RejectReason.MODEL_UNAVAILABLE.code(), nowMs);
    }

    /**
     * Forwards a batch's predictions, each with the accuracy it completes: the series' record of the forecast's day
     * may already have arrived (a backfill processes the next days while this batch was in the forward pass).
     */
    private void forwardScored(List<PendingScore> run, LoadedModel model, float[] outputs) {
        long nowMs = context.currentSystemTimeMs();
        Instant now = Instant.ofEpochMilli(nowMs);
        for (int i = 0; i < run.size(); i++) {
            PendingScore score = run.get(i);
            Prediction draft = score.draft();
            SymbolScaler scaler = model.bundle()
                    .scalers()
                    .forSymbol(draft.getSymbol())
                    .orElseThrow(() -> new IllegalStateException(
                            "model " + model.version() + " lost the scaler of " + draft.getSymbol()));
            Prediction done = OutputRecords.complete(
                    draft, outputs[i], Forecaster.nextOpen(draft.getBaseOpen(), outputs[i], scaler), now);
            context.forward(
                    new Record<String, Object>(score.key(), done, score.timestamp()), ScoringTopology.PREDICTIONS_SINK);
            scoreAgainstKnownActual(score, done, now);
            uploads.forecasts(done.getUploadId(), done.getDataset(), 1, nowMs);
        }
        resources.meters().predicted(run.size());
        resources.meters().batchScored();
    }

    /**
     * Waits for the forward passes still running (their windows stay parked and are scored again by whoever
     * restores the task) so that none outlives the task and its model.
     */
    @Override
    public void close() {
        if (flushPunctuator != null) {
            flushPunctuator.cancel();
        }
        if (verdictPunctuator != null) {
            verdictPunctuator.cancel();
        }
        if (batches != null) {
            batches.close();
        }
        prices.close();
    }
}

package io.pricecast.scoring.topology;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.lineage.Lineage;
import io.pricecast.scoring.model.LoadedModel;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.state.ParkedWindow;
import io.pricecast.scoring.state.PendingScore;
import io.pricecast.scoring.state.SeriesWindow;
import io.pricecast.scoring.state.WindowEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.specific.SpecificRecord;
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
 * Scores each price record: checks it extends its series, advances the series store, builds the scaled window
 * with the active model's scaler and the prediction's lineage, then either scores it at once ({@code maxBatch}
 * 1) or parks it in the changelogged pending store until a batch is full or the flush punctuator fires.
 * Every input record ends in exactly one output: a prediction, or a rejection on the rejected topic.
 *
 * <p>A parked window is kept twice: scored from memory, and in the pending store as what it was made from
 * ({@link ParkedWindow}: the input bytes, the series, the model's identity) so that a restored task can rebuild
 * it. Writing that costs a copy of the input bytes instead of an encoding of the draft, and with the store's
 * cache only windows still waiting at a commit reach the changelog.
 */
final class ScoringProcessor implements Processor<String, byte[], String, SpecificRecord> {

    static final String OUT_OF_ORDER = "out_of_order";
    static final String DUPLICATE = "duplicate";
    static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";
    static final String UNKNOWN_SYMBOL = "unknown_symbol";
    static final String UNREADABLE = "unreadable_record";
    static final String MODEL_UNAVAILABLE = "model_unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringProcessor.class);

    private final Deserializer<PriceRecord> prices;
    private final ScoringResources resources;
    private final Lineage lineage;
    private final int maxBatch;
    private final Duration flushInterval;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SeriesWindow> series;
    private KeyValueStore<Long, ParkedWindow> pending;
    private ModelRegistryView models;
    private Cancellable flushPunctuator;
    private long nextSequence;
    /** The pending store's content in key order, so a flush does not read back what this task just wrote. */
    private final List<Long> bufferedKeys = new ArrayList<>();
    private final List<PendingScore> buffered = new ArrayList<>();
    /** Batches handed to the forward pass and not yet forwarded, oldest first. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    /** Full batches in the forward pass while the stream thread goes on with the next records. */
    static final int MAX_IN_FLIGHT = 2;
    /** A punctuation that finds fewer than this fraction of a batch buffered sees a slow input. */
    private static final int SLOW_INPUT_FRACTION = 8;

    /** A batch in the forward pass: its windows, their pending-store keys, the model, the outputs to come. */
    private record InFlight(List<Long> keys, List<PendingScore> scores, LoadedModel model,
                            CompletableFuture<float[]> outputs) {
    }

    ScoringProcessor(Deserializer<PriceRecord> prices, ScoringResources resources, Lineage lineage, int maxBatch,
                     Duration flushInterval) {
        this.prices = prices;
        this.resources = resources;
        this.lineage = lineage;
        this.maxBatch = maxBatch;
        this.flushInterval = flushInterval;
    }

    private boolean batching() {
        return maxBatch > 1;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        series = context.getStateStore(ScoringTopology.SERIES_STORE);
        KeyValueStore<String, ModelEvent> registry = context.getStateStore(ScoringTopology.MODELS_STORE);
        models = new ModelRegistryView(registry, resources.models(), resources.counters());
        if (batching()) {
            pending = context.getStateStore(ScoringTopology.PENDING_STORE);
            bufferedKeys.clear();
            buffered.clear();
            try (KeyValueIterator<Long, ParkedWindow> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<Long, ParkedWindow> next = all.next();
                    bufferedKeys.add(next.key);
                    buffered.add(restore(next.value));
                    nextSequence = next.key + 1;
                }
            }
            if (!buffered.isEmpty()) {
                LOG.info("task {}: {} windows restored from the pending store", context.taskId(), buffered.size());
            }
            flushPunctuator = context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        forwardCompleted(MAX_IN_FLIGHT);
        RecordMetadata position = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("a source record without metadata"));
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        PriceRecord price;
        try {
            price = prices.deserialize(position.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("unreadable record at {}-{}@{}: {}", position.topic(), position.partition(), position.offset(),
                    e.toString());
            reject(record, lineage.unreadable(record.key(), record.value(), position, UNREADABLE,
                    "cannot read a PriceRecord: " + e.getMessage(), now));
            return;
        }
        if (price == null) {
            reject(record, lineage.unreadable(record.key(), null, position, UNREADABLE, "empty record (tombstone)", now));
            return;
        }
        String key = record.key() != null ? record.key() : price.getDataset() + "|" + price.getSymbol();
        SeriesWindow window = series.get(key);
        if (window == null) {
            window = SeriesWindow.EMPTY;
        }
        DailyPrice day = new DailyPrice(price.getDate(), price.getOpen(), price.getHigh(), price.getLow(), price.getClose(),
                price.getVolume(), price.getMarket());
        LocalDate newest = window.newestDate();
        if (newest != null && !day.date().isAfter(newest)) {
            rejectStale(record, price, day, window, position, now);
            return;
        }
        SeriesWindow advanced = window.append(new WindowEntry(day, position.topic(), position.partition(), position.offset()));
        series.put(key, advanced);

        LoadedModel model = models.active();
        Optional<SymbolScaler> scaler = model.bundle().scalers().forSymbol(price.getSymbol());
        if (scaler.isEmpty()) {
            reject(record, lineage.rejected(price, position, UNKNOWN_SYMBOL, "symbol",
                    "model " + model.version() + " has no scaler for symbol " + price.getSymbol(), now));
            return;
        }
        PendingScore score = new PendingScore(key, record.timestamp(), lineage.draft(price, advanced, model),
                advanced.scaledWindow(scaler.get()));
        if (!batching()) {
            scoreNow(score);
            return;
        }
        pending.put(nextSequence, ParkedWindow.of(key, record.timestamp(), record.headers(), record.value(), advanced,
                model.version(), model.sha256()));
        bufferedKeys.add(nextSequence);
        buffered.add(score);
        nextSequence++;
        if (buffered.size() >= maxBatch) {
            flush(MAX_IN_FLIGHT);
        }
    }

    /**
     * A parked window back in memory: its draft and scaled window rebuilt with the model that drafted it, or,
     * when that model is no longer available, a draft without a scaled window, which {@link #flush} rejects.
     */
    private PendingScore restore(ParkedWindow parked) {
        if (parked.drafted() != null) {
            return parked.drafted();
        }
        SeriesWindow window = parked.series();
        PriceRecord price = prices.deserialize(window.newest().topic(), parked.headers(), parked.value());
        Optional<LoadedModel> model = models.byIdentity(parked.modelVersion(), parked.modelSha256());
        if (model.isEmpty()) {
            return new PendingScore(parked.key(), parked.timestamp(),
                    lineage.draft(price, window, parked.modelVersion(), parked.modelSha256(), "", ""), null);
        }
        SymbolScaler scaler = model.get().bundle().scalers().forSymbol(price.getSymbol()).orElseThrow(
                () -> new IllegalStateException("model " + parked.modelVersion() + " drafted a window of "
                        + price.getSymbol() + " but has no scaler for it"));
        return new PendingScore(parked.key(), parked.timestamp(), lineage.draft(price, window, model.get()),
                window.scaledWindow(scaler));
    }

    private void rejectStale(Record<String, byte[]> record, PriceRecord price, DailyPrice day, SeriesWindow window,
                             RecordMetadata position, Instant now) {
        WindowEntry newest = window.newest();
        String reason;
        String message;
        if (day.date().equals(newest.price().date())) {
            reason = day.equals(newest.price()) ? DUPLICATE : CONFLICTING_DUPLICATE;
            message = (reason.equals(DUPLICATE) ? "repeats" : "conflicts with") + " the series' newest day " + newest.price().date()
                    + " already scored from " + newest.topic() + "-" + newest.partition() + "@" + newest.offset();
        } else {
            reason = OUT_OF_ORDER;
            message = "day " + day.date() + " is older than the series' newest day " + newest.price().date();
        }
        reject(record, lineage.rejected(price, position, reason, "date", message, now));
    }

    private void reject(Record<String, byte[]> record, RejectedRecord rejection) {
        resources.counters().rejected(rejection.getReason());
        context.forward(new Record<String, SpecificRecord>(record.key(), rejection, record.timestamp()),
                ScoringTopology.REJECTED_SINK);
    }

    /**
     * Hands every buffered window to the forward pass, in arrival order, one call per run of at most
     * {@code maxBatch} windows drafted with the same model; windows whose model is gone are rejected at once.
     * Then forwards the batches whose outputs are back, waiting for the oldest while more than
     * {@code keepAtMost} are in flight: the next records are processed while the forward pass runs on another
     * thread.
     */
    private void flush(int keepAtMost) {
        int start = 0;
        while (start < buffered.size()) {
            Prediction first = buffered.get(start).draft();
            int end = start + 1;
            while (end < buffered.size() && end - start < maxBatch && sameModel(first, buffered.get(end).draft())) {
                end++;
            }
            submit(List.copyOf(bufferedKeys.subList(start, end)), List.copyOf(buffered.subList(start, end)),
                    first.getModelVersion(), first.getModelSha256());
            start = end;
        }
        bufferedKeys.clear();
        buffered.clear();
        forwardCompleted(keepAtMost);
    }

    /**
     * The flush punctuator: a partly filled batch is scored anyway. When the input is slow (a small batch) the
     * forward pass is awaited, so that a lone record's prediction does not wait for the next punctuation.
     */
    private void punctuate() {
        flush(buffered.size() < Math.max(1, maxBatch / SLOW_INPUT_FRACTION) ? 0 : MAX_IN_FLIGHT);
    }

    private static boolean sameModel(Prediction a, Prediction b) {
        return a.getModelVersion().equals(b.getModelVersion()) && a.getModelSha256().equals(b.getModelSha256());
    }

    /** Scores one record's window now (no batching, hence no pending store). */
    private void scoreNow(PendingScore score) {
        Prediction draft = score.draft();
        Optional<LoadedModel> model = models.byIdentity(draft.getModelVersion(), draft.getModelSha256());
        if (model.isEmpty()) {
            rejectUnavailable(score);
            return;
        }
        float[] outputs = model.get().network().predict(score.window(), 1);
        forwardScored(List.of(score), model.get(), outputs);
    }

    private void submit(List<Long> keys, List<PendingScore> run, String version, String sha256) {
        Optional<LoadedModel> found = models.byIdentity(version, sha256);
        List<Long> scorableKeys = new ArrayList<>(run.size());
        List<PendingScore> scorable = new ArrayList<>(run.size());
        for (int i = 0; i < run.size(); i++) {
            if (found.isPresent() && run.get(i).window() != null) {
                scorableKeys.add(keys.get(i));
                scorable.add(run.get(i));
            } else {
                rejectUnavailable(run.get(i));
                pending.put(keys.get(i), null);
            }
        }
        if (scorable.isEmpty()) {
            return;
        }
        LoadedModel model = found.get();
        float[] flat = new float[scorable.size() * Features.WINDOW_SIZE];
        for (int i = 0; i < scorable.size(); i++) {
            System.arraycopy(scorable.get(i).window(), 0, flat, i * Features.WINDOW_SIZE, Features.WINDOW_SIZE);
        }
        int size = scorable.size();
        CompletableFuture<float[]> outputs = resources.forwardPasses() == null
                ? CompletableFuture.completedFuture(model.network().predict(flat, size))
                : CompletableFuture.supplyAsync(() -> model.network().predict(flat, size), resources.forwardPasses());
        inFlight.add(new InFlight(scorableKeys, scorable, model, outputs));
    }

    /**
     * Forwards, oldest first, the batches whose forward pass is done, and waits for the oldest ones while more
     * than {@code keepAtMost} are in flight. Each window's pending entry is tombstoned with its prediction, so
     * both are in the same transaction: a window whose prediction a commit does not cover is still parked.
     */
    private void forwardCompleted(int keepAtMost) {
        while (!inFlight.isEmpty() && (inFlight.size() > keepAtMost || inFlight.peek().outputs().isDone())) {
            InFlight batch = inFlight.poll();
            float[] outputs;
            try {
                outputs = batch.outputs().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            forwardScored(batch.scores(), batch.model(), outputs);
            for (Long key : batch.keys()) {
                // put(null) rather than delete(): the same tombstone, without reading and decoding the old value
                pending.put(key, null);
            }
        }
    }

    private void rejectUnavailable(PendingScore score) {
        Prediction draft = score.draft();
        LOG.error("prediction {} cannot be scored: model {} (sha256 {}) is no longer available",
                draft.getPredictionId(), draft.getModelVersion(), draft.getModelSha256());
        resources.counters().rejected(MODEL_UNAVAILABLE);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        context.forward(new Record<String, SpecificRecord>(score.key(), lineage.unscorable(draft, MODEL_UNAVAILABLE,
                "model " + draft.getModelVersion() + " (sha256 " + draft.getModelSha256() + ") that drafted this window "
                        + "is no longer in the registry", now), score.timestamp()), ScoringTopology.REJECTED_SINK);
    }

    private void forwardScored(List<PendingScore> run, LoadedModel model, float[] outputs) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (int i = 0; i < run.size(); i++) {
            PendingScore score = run.get(i);
            Prediction draft = score.draft();
            SymbolScaler scaler = model.bundle().scalers().forSymbol(draft.getSymbol()).orElseThrow(
                    () -> new IllegalStateException("model " + model.version() + " lost the scaler of " + draft.getSymbol()));
            Prediction done = Lineage.complete(draft, outputs[i], Forecaster.nextOpen(draft.getBaseOpen(), outputs[i], scaler), now);
            context.forward(new Record<String, SpecificRecord>(score.key(), done, score.timestamp()),
                    ScoringTopology.PREDICTIONS_SINK);
        }
        resources.counters().predicted(run.size());
        resources.counters().batchScored();
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
        for (InFlight batch : inFlight) {
            try {
                batch.outputs().join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                LOG.debug("a forward pass of a closing task failed", e);
            }
        }
        inFlight.clear();
        prices.close();
    }
}

package io.pricecast.scoring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.model.serving.ModelCache;
import io.pricecast.runtime.metrics.ActiveModelMeter;
import io.pricecast.schemas.RejectReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scoring application's own meters, shared by all tasks of one process. They count processing attempts: after a
 * crash the records of an aborted transaction are processed (and counted) again, while their outputs on Kafka appear
 * exactly once. The topics are the authoritative record; these are for dashboards. Kafka Streams' own metrics (every
 * one, with its thread, task, processor and partition tags) are bound beside them by the service.
 *
 * <pre>
 * pricecast_forecasts_scored_total                    forecasts produced
 * pricecast_records_scored_total{outcome, reason}     accepted (extended its series), duplicate (repeated its newest
 *                                                     day), rejected (by reason, RejectReason's scoring codes)
 * pricecast_accuracy_scored_total                     forecasts scored against their actuals
 * pricecast_scoring_batches_total                     batched forward passes
 * pricecast_model_loads_total{outcome}                loaded, refused
 * pricecast_model_active{model_version}               1 for the version the process scores with
 * </pre>
 */
public final class ScoringMeters {

    public static final String FORECASTS = "pricecast.forecasts.scored";
    public static final String RECORDS = "pricecast.records.scored";
    /** The {@code reason} of a record that was not rejected. */
    public static final String NO_REASON = "none";

    private final MeterRegistry registry;
    private final Counter forecasts;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter accuracyScored;
    private final Counter batches;
    private final Counter modelLoads;
    private final Counter modelRefusals;
    private final Map<String, Counter> rejectedByReason = new ConcurrentHashMap<>();
    private final ActiveModelMeter activeModel;

    /** Meters in a registry of their own, for a topology test. */
    public ScoringMeters() {
        this(new SimpleMeterRegistry());
    }

    /** @param registry the service's registry */
    public ScoringMeters(MeterRegistry registry) {
        this.registry = registry;
        forecasts = Counter.builder(FORECASTS).description("forecasts produced").register(registry);
        accepted = records("accepted", NO_REASON);
        duplicates = records("duplicate", NO_REASON);
        for (RejectReason reason : RejectReason.of(RejectReason.Stage.SCORING)) {
            rejectedCounter(reason.code());
        }
        accuracyScored = Counter.builder("pricecast.accuracy.scored")
                .description("forecasts scored against their actuals")
                .register(registry);
        batches = Counter.builder("pricecast.scoring.batches")
                .description("batched forward passes")
                .register(registry);
        modelLoads = modelLoads("loaded");
        modelRefusals = modelLoads("refused");
        activeModel = new ActiveModelMeter(registry);
    }

    private Counter records(String outcome, String reason) {
        return Counter.builder(RECORDS)
                .description("records scoring judged, by outcome (rejections by reason)")
                .tags(Tags.of("outcome", outcome, "reason", reason))
                .register(registry);
    }

    private Counter modelLoads(String outcome) {
        return Counter.builder("pricecast.model.loads")
                .description("model bundles loaded or refused (bad signature, unreadable)")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter rejectedCounter(String reason) {
        return rejectedByReason.computeIfAbsent(reason, r -> records("rejected", r));
    }

    public void predicted(int count) {
        forecasts.increment(count);
    }

    /** A record extended its series. */
    public void accepted() {
        accepted.increment();
    }

    /** A record repeated its series' newest day. */
    public void duplicate() {
        duplicates.increment();
    }

    /** Forecasts were scored against their actuals. */
    public void accuracyScored(int count) {
        accuracyScored.increment(count);
    }

    public void batchScored() {
        batches.increment();
    }

    public void rejected(String reason) {
        rejectedCounter(reason).increment();
    }

    /** @return a model cache listener that counts loads and refusals here */
    public ModelCache.Listener modelListener() {
        return new ModelCache.Listener() {
            @Override
            public void loaded(LoadedModel model) {
                modelLoads.increment();
            }

            @Override
            public void refused(String identity, String why) {
                modelRefusals.increment();
            }
        };
    }

    /** The process now scores with {@code version} ({@link ActiveModelMeter}). */
    public void activeModel(String version) {
        activeModel.set(version);
    }

    public long predictions() {
        return (long) forecasts.count();
    }

    public long acceptedCount() {
        return (long) accepted.count();
    }

    public long duplicates() {
        return (long) duplicates.count();
    }

    public long rejectedCount(String reason) {
        Counter c = rejectedByReason.get(reason);
        return c == null ? 0 : (long) c.count();
    }

    public long modelRefusals() {
        return (long) modelRefusals.count();
    }

    /** @return the version scored with, empty before the first */
    public String activeModel() {
        return activeModel.version();
    }
}

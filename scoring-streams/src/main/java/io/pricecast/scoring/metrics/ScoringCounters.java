package io.pricecast.scoring.metrics;

import io.pricecast.model.serving.LoadedModel;
import io.pricecast.model.serving.ModelCache;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application's own counters, shared by all tasks of one process. They count processing attempts: after a
 * crash the records of an aborted transaction are processed (and counted) again, while their outputs on Kafka
 * appear exactly once. The topics are the authoritative record; these are for dashboards.
 */
public final class ScoringCounters {

    private final LongAdder predictions = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder accuracyScored = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder modelLoads = new LongAdder();
    private final LongAdder modelRefusals = new LongAdder();
    private final ConcurrentMap<String, LongAdder> rejectedByReason = new ConcurrentHashMap<>();
    private final AtomicReference<String> activeModel = new AtomicReference<>("");

    public void predicted(int count) {
        predictions.add(count);
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
        accuracyScored.add(count);
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public void batchScored() {
        batches.increment();
    }

    public void rejected(String reason) {
        rejectedByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void modelLoaded() {
        modelLoads.increment();
    }

    public void modelRefused() {
        modelRefusals.increment();
    }

    /** @return a model cache listener that counts loads and refusals here */
    public ModelCache.Listener modelListener() {
        return new ModelCache.Listener() {
            @Override
            public void loaded(LoadedModel model) {
                modelLoaded();
            }

            @Override
            public void refused(String identity, String why) {
                modelRefused();
            }
        };
    }

    public void activeModel(String version) {
        activeModel.set(version);
    }

    public long predictions() {
        return predictions.sum();
    }

    public long rejectedCount(String reason) {
        LongAdder adder = rejectedByReason.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    public long modelRefusals() {
        return modelRefusals.sum();
    }

    /** A snapshot for the metrics endpoint. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new TreeMap<>();
        m.put("predictions-total", predictions.sum());
        m.put("accepted-total", accepted.sum());
        m.put("duplicates-total", duplicates.sum());
        m.put("accuracy-scored-total", accuracyScored.sum());
        m.put("batches-total", batches.sum());
        m.put("model-loads-total", modelLoads.sum());
        m.put("model-refusals-total", modelRefusals.sum());
        m.put("active-model", activeModel.get());
        Map<String, Long> rejected = new TreeMap<>();
        rejectedByReason.forEach((reason, adder) -> rejected.put(reason, adder.sum()));
        m.put("rejected-total", rejected);
        return m;
    }
}

package io.pricecast.scoring.topology;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.avro.UploadVerdicts;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.lineage.OutputRecords;
import io.pricecast.scoring.state.KnownActual;
import io.pricecast.scoring.state.ParkedWindowSerde;
import io.pricecast.scoring.state.SeriesHistorySerde;
import io.pricecast.scoring.state.UploadTallySerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scoring topology:
 *
 * <pre>
 *   prices.clean ──> [prices-source] ──> [scoring-processor] ─┬─> [accepted-sink]    ──> prices.accepted
 *                                                             ├─> [predictions-sink] ──> predictions
 *                                                             ├─> [accuracy-sink]    ──> accuracy
 *                                                             ├─> [verdicts-sink]    ──> uploads.verdicts (punctuated)
 *                                                             └─> [rejected-sink]    ──> prices.rejected
 *   [scoring-processor]'s stores, all changelogged: series (history + accuracy), uploads (verdict counts),
 *   actuals (days whose forecast is in a batch), pending (batching only)
 *   models (compacted) ──> [models-source] ──> [models-registry-processor] ──> global store "scoring-models"
 *                                                                              (read by [scoring-processor])
 * </pre>
 *
 * Values of the input are read as bytes and decoded inside {@code scoring-processor}, so an unreadable record becomes a
 * rejection in the same transaction instead of stopping the application.
 */
public final class ScoringTopology {

    public static final String SERIES_STORE = "scoring-series";
    public static final String PENDING_STORE = "scoring-pending";
    public static final String UPLOADS_STORE = "scoring-uploads";
    public static final String ACTUALS_STORE = "scoring-actuals";
    public static final String MODELS_STORE = "scoring-models";

    // Node names say what a node is and never equal a topic's name. Renaming a node changes no store, changelog
    // or task id, as long as the global source's name still sorts before the prices source's (sub-topology ids
    // follow the sorted source names): ScoringTopologyNamesTest checks it.
    static final String PRICES_SOURCE = "prices-source";
    static final String SCORING_PROCESSOR = "scoring-processor";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String ACCEPTED_SINK = "accepted-sink";
    static final String ACCURACY_SINK = "accuracy-sink";
    static final String VERDICTS_SINK = "verdicts-sink";
    static final String REJECTED_SINK = "rejected-sink";
    static final String MODELS_SOURCE = "models-source";
    static final String MODELS_PROCESSOR = "models-registry-processor";

    private ScoringTopology() {}

    /**
     * The topology with fresh per-process resources (models load on first use). For tests and tools; the service
     * passes its own resources so that it can close them.
     */
    public static Topology build(ScoringConfig config) {
        return build(config, ScoringResources.create(config.engine()));
    }

    /** The topology; building it has no side effect (no model is loaded, no connection is opened). */
    public static Topology build(ScoringConfig config, ScoringResources resources) {
        Serde<Prediction> predictionSerde = config.serdes().serde(Prediction.class, false);
        Serde<RejectedRecord> rejectedSerde = config.serdes().serde(RejectedRecord.class, false);
        Serde<ModelEvent> modelSerde = config.serdes().serde(ModelEvent.class, false);
        Serde<Accuracy> accuracySerde = config.serdes().serde(Accuracy.class, false);
        Serde<UploadVerdicts> verdictsSerde = config.serdes().serde(UploadVerdicts.class, false);
        OutputRecords outputRecords = new OutputRecords(config.codeVersion());

        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(), modelSerde)
                        .withLoggingDisabled(),
                MODELS_SOURCE,
                Serdes.String().deserializer(),
                modelSerde.deserializer(),
                config.modelsTopic(),
                MODELS_PROCESSOR,
                ModelRegistryUpdater::new);

        topology.addSource(
                PRICES_SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                config.inputTopic());
        topology.addProcessor(
                SCORING_PROCESSOR,
                () -> new ScoringProcessor(
                        config.serdes().serde(PriceRecord.class, false).deserializer(),
                        resources,
                        outputRecords,
                        config.maxBatch(),
                        config.flushInterval(),
                        config.verdictInterval()),
                PRICES_SOURCE);
        // Both stores are cached (statestore.cache.max.bytes): writes reach the store and its changelog at each
        // commit, not for every record. A series advanced many times between commits (a backfill) costs one
        // changelog record, and a window parked and scored between two commits never reaches the changelog at all
        // (only the tombstone of its key does). The cache is flushed before every commit, so what a commit
        // covers is always in the changelog: exactly-once is unaffected.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(SERIES_STORE),
                                Serdes.String(),
                                SeriesHistorySerde.serde())
                        .withCachingEnabled(),
                SCORING_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(UPLOADS_STORE), Serdes.String(), UploadTallySerde.serde())
                        .withCachingEnabled(),
                SCORING_PROCESSOR);
        // the actuals of days whose forecast was still being computed: written and deleted within a batch's life, so
        // with the cache most never reach the changelog
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(ACTUALS_STORE), Serdes.String(), KnownActual.serde())
                        .withCachingEnabled(),
                SCORING_PROCESSOR);
        if (config.maxBatch() > 1) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(PENDING_STORE),
                                    Serdes.Long(),
                                    ParkedWindowSerde.serde())
                            .withCachingEnabled(),
                    SCORING_PROCESSOR);
        }
        topology.addSink(
                ACCEPTED_SINK,
                config.acceptedTopic(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                SCORING_PROCESSOR);
        topology.addSink(
                PREDICTIONS_SINK,
                config.predictionsTopic(),
                Serdes.String().serializer(),
                predictionSerde.serializer(),
                SCORING_PROCESSOR);
        topology.addSink(
                ACCURACY_SINK,
                config.accuracyTopic(),
                Serdes.String().serializer(),
                accuracySerde.serializer(),
                SCORING_PROCESSOR);
        topology.addSink(
                VERDICTS_SINK,
                config.verdictsTopic(),
                Serdes.String().serializer(),
                verdictsSerde.serializer(),
                SCORING_PROCESSOR);
        topology.addSink(
                REJECTED_SINK,
                config.rejectedTopic(),
                Serdes.String().serializer(),
                rejectedSerde.serializer(),
                SCORING_PROCESSOR);
        return topology;
    }
}

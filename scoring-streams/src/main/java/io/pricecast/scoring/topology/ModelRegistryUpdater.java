package io.pricecast.scoring.topology;

import io.pricecast.avro.ModelEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the global model registry store equal to the compacted {@code models} topic (a tombstone deletes). */
final class ModelRegistryUpdater implements Processor<String, ModelEvent, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryUpdater.class);

    private KeyValueStore<String, ModelEvent> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ScoringTopology.MODELS_STORE);
    }

    @Override
    public void process(Record<String, ModelEvent> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a models event without a key");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            LOG.info("models: {} deleted", record.key());
            return;
        }
        ModelEvent event = record.value();
        LOG.info(
                "models: {} {} version {} sha256 {} by {}",
                record.key(),
                event.getKind(),
                event.getVersion(),
                event.getSha256(),
                event.getActor());
        store.put(record.key(), event);
    }
}

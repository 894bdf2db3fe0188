package io.pricecast.scoring.model;

import io.pricecast.avro.ModelEvent;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.model.serving.ModelCache;
import io.pricecast.scoring.metrics.ScoringMeters;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's view of the model registry (the global store over the compacted {@code models} topic): which
 * model is active now, and any model by version and sha256 (for windows buffered before a swap).
 *
 * <p>Keys follow the topic's contract: {@code active} holds the newest PROMOTED / ROLLED_BACK event,
 * {@code version:<id>} the PUBLISHED event carrying the bundle's bytes and sha256. Without an {@code active}
 * event the classpath default is active. An active event whose bundle is missing or fails verification
 * leaves the previously used model active (logged and counted once).
 */
public final class ModelRegistryView {

    /** Key of the active-model pointer. */
    public static final String ACTIVE_KEY = "active";
    /** Prefix of the key of a published version. */
    public static final String VERSION_KEY_PREFIX = "version:";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryView.class);

    private final ReadOnlyKeyValueStore<String, ModelEvent> registry;
    private final ModelCache cache;
    private final ScoringMeters meters;
    private LoadedModel current;
    private String unusableActive;

    public ModelRegistryView(
            ReadOnlyKeyValueStore<String, ModelEvent> registry, ModelCache cache, ScoringMeters meters) {
        this.registry = registry;
        this.cache = cache;
        this.meters = meters;
    }

    /** The key of a published version's event. */
    public static String versionKey(String version) {
        return VERSION_KEY_PREFIX + version;
    }

    /** The model new records are scored with. */
    public LoadedModel active() {
        ModelEvent pointer = registry.get(ACTIVE_KEY);
        if (pointer == null) {
            return use(current == null ? cache.defaultModel() : current);
        }
        String version = pointer.getVersion();
        String sha256 = pointer.getSha256();
        if (current != null
                && current.version().equals(version)
                && current.sha256().equals(sha256)) {
            return current;
        }
        Optional<LoadedModel> named = byIdentity(version, sha256);
        if (named.isPresent()) {
            unusableActive = null;
            return use(named.get());
        }
        String identity = version + "@" + sha256;
        if (!identity.equals(unusableActive)) {
            unusableActive = identity;
            LOG.error(
                    "active model {} cannot be used (not published, or refused); keeping {}",
                    identity,
                    current == null ? "the default" : current.version());
        }
        return use(current == null ? cache.defaultModel() : current);
    }

    /**
     * A model by version and content sha256: already loaded, the default, or published on the topic.
     *
     * @return empty when no verified bundle of that identity is available
     */
    public Optional<LoadedModel> byIdentity(String version, String sha256) {
        Optional<LoadedModel> known = cache.find(version, sha256);
        if (known.isPresent()) {
            return known;
        }
        ModelEvent published = registry.get(versionKey(version));
        if (published == null || published.getBundle() == null) {
            return Optional.empty();
        }
        if (!published.getSha256().equals(sha256)) {
            LOG.error(
                    "model {}: the active pointer names sha256 {} but the published bundle is {}",
                    version,
                    sha256,
                    published.getSha256());
            return Optional.empty();
        }
        return cache.published(version, sha256, published.getBundle());
    }

    private LoadedModel use(LoadedModel model) {
        if (current != model) {
            current = model;
            meters.activeModel(model.version());
            LOG.info("scoring with model {} (sha256 {})", model.version(), model.sha256());
        }
        return model;
    }
}

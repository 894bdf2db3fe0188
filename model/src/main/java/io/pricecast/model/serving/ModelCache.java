package io.pricecast.model.serving;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.network.RoutedForwardPass;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this process has loaded, each once, shared by every stream thread: the default (the classpath
 * bundle {@value KerasImport#FIRST_BUNDLE_RESOURCE}) and any bundle published on the {@code models} topic.
 * A published bundle is used only after its content hashes to the sha256 of its event; a refused one is
 * remembered (and logged once) so it is not re-parsed for every record. Nothing loads before first use.
 * The scoring application and the predict service share it, so both score with the same forward pass.
 */
public final class ModelCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    /** Told of every model loaded and every bundle refused (e.g. to count them). */
    public interface Listener {
        /** A model was loaded and verified. */
        void loaded(LoadedModel model);

        /** A published bundle was refused: unreadable, or its content does not hash to its published sha256. */
        void refused(String identity, String why);

        /** A listener that is told nothing (the cache logs loads and refusals itself). */
        Listener NONE = new Listener() {
            @Override
            public void loaded(LoadedModel model) {}

            @Override
            public void refused(String identity, String why) {}
        };
    }

    private final Engine engine;
    private final Listener listener;
    private final Map<String, LoadedModel> loaded = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final List<AutoCloseable> networks = new ArrayList<>();
    private volatile LoadedModel defaultModel;

    public ModelCache(Engine engine, Listener listener) {
        this.engine = engine;
        this.listener = listener;
    }

    /** The classpath default bundle, used while the {@code models} topic names no active model. */
    public LoadedModel defaultModel() {
        LoadedModel d = defaultModel;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (defaultModel == null) {
                try {
                    ModelBundle bundle = KerasImport.firstBundle();
                    defaultModel = load(bundle.metadata().versionId(), bundle);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the default model bundle", e);
                }
            }
            return defaultModel;
        }
    }

    /** A model already loaded under this version and content sha256. */
    public Optional<LoadedModel> find(String version, String sha256) {
        LoadedModel d = defaultModel();
        if (d.version().equals(version) && d.sha256().equals(sha256)) {
            return Optional.of(d);
        }
        return Optional.ofNullable(loaded.get(key(version, sha256)));
    }

    /** {@link #published(String, String, byte[])} of a bundle as it travels in a {@code ModelEvent} (not consumed). */
    public Optional<LoadedModel> published(String version, String expectedSha256, java.nio.ByteBuffer bundle) {
        byte[] bytes = new byte[bundle.remaining()];
        bundle.duplicate().get(bytes);
        return published(version, expectedSha256, bytes);
    }

    /**
     * Loads a published bundle, verifying its content against {@code expectedSha256}.
     *
     * @return the model, or empty when the bundle is unreadable or its content does not hash to the expected value
     */
    public Optional<LoadedModel> published(String version, String expectedSha256, byte[] bundleBytes) {
        String key = key(version, expectedSha256);
        LoadedModel known = loaded.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        if (refused.containsKey(key)) {
            return Optional.empty();
        }
        synchronized (this) {
            known = loaded.get(key);
            if (known != null) {
                return Optional.of(known);
            }
            try {
                ModelBundle bundle = ModelBundle.read(new ByteArrayInputStream(bundleBytes), "model " + version);
                if (!bundle.contentSha256().equals(expectedSha256)) {
                    return refuse(
                            key,
                            "content sha256 " + bundle.contentSha256() + " differs from the published "
                                    + expectedSha256);
                }
                LoadedModel model = load(version, bundle);
                loaded.put(key, model);
                return Optional.of(model);
            } catch (IOException e) {
                return refuse(key, e.getMessage());
            }
        }
    }

    private Optional<LoadedModel> refuse(String key, String why) {
        if (refused.putIfAbsent(key, why) == null) {
            listener.refused(key, why);
            LOG.error("refusing model {}: {}; scoring continues with the previous model", key, why);
        }
        return Optional.empty();
    }

    private synchronized LoadedModel load(String version, ModelBundle bundle) {
        ForwardPass network = switch (engine) {
            case JAVA -> new PlainJavaBiGru(bundle.weights());
            case DJL -> track(new DjlBiGru(bundle.weights(), DjlSettings.fromEnvironment()));
            case AUTO ->
                track(new RoutedForwardPass(
                        new PlainJavaBiGru(bundle.weights()),
                        new DjlBiGru(bundle.weights(), DjlSettings.fromEnvironment()),
                        RoutedForwardPass.DEFAULT_THRESHOLD));
        };
        LoadedModel model = new LoadedModel(version, bundle, network);
        listener.loaded(model);
        LOG.info(
                "loaded model {} (content sha256 {}, {} symbols, engine {})",
                version,
                bundle.contentSha256(),
                bundle.scalers().size(),
                engine);
        return model;
    }

    private <T extends AutoCloseable> T track(T network) {
        networks.add(network);
        return network;
    }

    private static String key(String version, String sha256) {
        return version + "@" + sha256;
    }

    @Override
    public synchronized void close() throws Exception {
        Exception first = null;
        for (AutoCloseable network : networks) {
            try {
                network.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        networks.clear();
        if (first != null) {
            throw first;
        }
    }
}

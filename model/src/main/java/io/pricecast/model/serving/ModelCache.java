package io.pricecast.model.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this process has loaded, each once, shared by every stream thread: the default (the classpath
 * bundle {@value KerasImport#FIRST_BUNDLE_RESOURCE}) and any bundle published on the {@code models} topic.
 * A published bundle is used only after its content hashes to the sha256 of its event; a refused one is
 * remembered (and logged once) so it is not re-parsed for every record. Nothing loads before first use.
 * The scoring application and the predict service share it, so both score with the same forward pass.
 *
 * <p>Bounded: at most {@code maxModels} published models stay loaded (the default one aside), the least recently
 * used evicted first; an evicted model's network (DJL's native memory) is closed {@link #CLOSE_EVICTED_AFTER} later,
 * when a forward pass that still held it has long finished, and the model is loaded again if it is asked for again.
 * Refusals are remembered up to {@link #MAX_REFUSALS}.
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

    /** The variable setting how many published models a process keeps loaded. */
    public static final String SIZE_VARIABLE = "PRICECAST_MODEL_CACHE_SIZE";
    /** Published models kept loaded by default. */
    public static final int DEFAULT_MAX_MODELS = 8;
    /** How long after its eviction a model's network is closed. */
    public static final Duration CLOSE_EVICTED_AFTER = Duration.ofSeconds(60);
    /** Refused bundles remembered (so that a bad one is not parsed again for every record). */
    public static final int MAX_REFUSALS = 1_000;

    private final Engine engine;
    private final Listener listener;
    private final Cache<String, LoadedModel> loaded;
    private final Cache<String, String> refused =
            Caffeine.newBuilder().maximumSize(MAX_REFUSALS).build();
    private final List<AutoCloseable> networks = new ArrayList<>();
    private final Duration closeEvictedAfter;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-cache-closer");
        t.setDaemon(true);
        return t;
    });
    private volatile LoadedModel defaultModel;

    /** A cache of at most {@value #SIZE_VARIABLE} published models (default {@value #DEFAULT_MAX_MODELS}). */
    public ModelCache(Engine engine, Listener listener) {
        this(engine, listener, maxModels(System.getenv(SIZE_VARIABLE)), CLOSE_EVICTED_AFTER);
    }

    /**
     * @param value the variable's value, or null when unset
     * @return how many published models to keep loaded
     * @throws IllegalArgumentException naming the variable when the value is no positive number
     */
    static int maxModels(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_MODELS;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(SIZE_VARIABLE + "=" + value + " must be a positive number of models");
    }

    /**
     * @param maxModels         published models kept loaded at most
     * @param closeEvictedAfter how long after its eviction a model's network is closed
     */
    public ModelCache(Engine engine, Listener listener, int maxModels, Duration closeEvictedAfter) {
        if (maxModels < 1) {
            throw new IllegalArgumentException("maxModels=" + maxModels + " must be at least 1");
        }
        this.engine = engine;
        this.listener = listener;
        this.closeEvictedAfter = closeEvictedAfter;
        this.loaded = Caffeine.newBuilder()
                .maximumSize(maxModels)
                .executor(Runnable::run)
                .removalListener((String key, LoadedModel model, RemovalCause cause) -> {
                    if (cause.wasEvicted() && model != null) {
                        retire(key, model);
                    }
                })
                .build();
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
        return Optional.ofNullable(loaded.getIfPresent(key(version, sha256)));
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
        LoadedModel known = loaded.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        if (refused.getIfPresent(key) != null) {
            return Optional.empty();
        }
        synchronized (this) {
            known = loaded.getIfPresent(key);
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
        if (refused.asMap().putIfAbsent(key, why) == null) {
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
        synchronized (networks) {
            networks.add(network);
        }
        return network;
    }

    /** An evicted model: its network is closed later, once no forward pass can still hold it. */
    private void retire(String key, LoadedModel model) {
        LOG.info(
                "model {} evicted (more than the models kept loaded); its network closes in {} s",
                key,
                closeEvictedAfter.toSeconds());
        if (model.network() instanceof AutoCloseable network) {
            closer.schedule(() -> closeRetired(network), closeEvictedAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeRetired(AutoCloseable network) {
        synchronized (networks) {
            if (!networks.remove(network)) {
                return; // the cache was closed meanwhile, and the network with it
            }
        }
        try {
            network.close();
        } catch (Exception e) {
            LOG.warn("closing an evicted model's network failed", e);
        }
    }

    /** @return published models loaded now (the default one aside) */
    public long loadedCount() {
        loaded.cleanUp();
        return loaded.estimatedSize();
    }

    /** @return networks open now that hold native memory (DJL's), the default model's included */
    int openNetworks() {
        synchronized (networks) {
            return networks.size();
        }
    }

    private static String key(String version, String sha256) {
        return version + "@" + sha256;
    }

    @Override
    public synchronized void close() throws Exception {
        closer.shutdownNow();
        Exception first = null;
        List<AutoCloseable> open;
        synchronized (networks) {
            open = new ArrayList<>(networks);
            networks.clear();
        }
        for (AutoCloseable network : open) {
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
        if (first != null) {
            throw first;
        }
    }
}

package io.pricecast.predict;

import io.pricecast.avro.ModelEvent;
import io.pricecast.model.serving.Engine;
import io.pricecast.model.serving.ModelCache;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.runtime.ServiceMain;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.serde.AvroSerdes;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predict service: the model as a synchronous REST endpoint ({@link PredictHttp}). Stateless: it keeps no data,
 * commits no offsets and joins no consumer group, so any number of replicas can run behind one address; each follows
 * the {@code models} topic on its own ({@link ModelFollower}).
 *
 * <p>Settings (environment), beside the shared ones of {@link ServiceSettings}:
 * <pre>
 * PRICECAST_PREDICT_PORT            HTTP port, default 8086
 * PRICECAST_PREDICT_ENGINE          java (default: the pass that scores live records, bit-for-bit reproducible),
 *                                   auto (DJL for batches of 32 windows and more: faster files, equal within 1e-6) or djl
 * PRICECAST_PREDICT_MAX_CSV_MB      largest /predict.csv body, default 256
 * PRICECAST_MODELS_TOPIC            the model registry topic, default models
 * PRICECAST_HTTP_MAX_BODY_KB        largest /predict body, default 64 ({@link HttpGuard})
 * </pre>
 */
public final class PredictService implements ServiceMain.Running {

    public static final String PORT_VARIABLE = "PRICECAST_PREDICT_PORT";
    public static final int DEFAULT_PORT = 8086;
    public static final String ENGINE = "PRICECAST_PREDICT_ENGINE";
    public static final String MAX_CSV_MB = "PRICECAST_PREDICT_MAX_CSV_MB";
    public static final int DEFAULT_MAX_CSV_MB = 256;

    private static final Logger LOG = LoggerFactory.getLogger(PredictService.class);

    private final ServiceMetrics metrics;
    private final ModelCache cache;
    private final ModelFollower models;
    private final PredictHttp http;
    private int port;

    private PredictService(Map<String, String> env) {
        ServiceSettings settings = ServiceSettings.fromEnvironment(env, PORT_VARIABLE, DEFAULT_PORT, "predict");
        Engine engine = engine(settings.get(ENGINE, "java"));
        long maxCsvMb = settings.getInt(MAX_CSV_MB, DEFAULT_MAX_CSV_MB);
        if (maxCsvMb <= 0) {
            throw new IllegalArgumentException(MAX_CSV_MB + "=" + maxCsvMb + " must be positive");
        }
        this.metrics = ServiceMetrics.forService("predict");
        this.cache = new ModelCache(engine, ModelCache.Listener.NONE);
        AvroSerdes serdes = settings.serdes();
        this.models = new ModelFollower(
                settings.kafka(),
                settings.get("PRICECAST_MODELS_TOPIC", Topics.MODELS.name()),
                serdes.serde(ModelEvent.class, false).deserializer(),
                cache);
        metrics.kafkaClient(models.kafkaConsumer());
        this.http = new PredictHttp(
                models,
                metrics,
                HttpGuard.fromEnvironment(env),
                maxCsvMb << 20,
                settings.stateDir().resolve("spill"),
                CodeVersion.current());
        this.port = settings.httpPort();
        LOG.info("predict service: {}, engine {}, /predict.csv up to {} MB", settings, engine, maxCsvMb);
    }

    private static Engine engine(String value) {
        try {
            return Engine.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENGINE + "=" + value + " (expected auto, java or djl)", e);
        }
    }

    /**
     * Starts following the models topic and serving.
     *
     * @param env          the environment
     * @param overridePort the HTTP port when positive, else the configured one
     * @return the running service
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static PredictService start(Map<String, String> env, int overridePort) {
        PredictService service = new PredictService(env);
        try {
            return service.run(overridePort);
        } catch (RuntimeException e) {
            try {
                service.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private PredictService run(int overridePort) {
        models.start();
        port = http.start(overridePort > 0 ? overridePort : port);
        LOG.info("predict service on port {}", port);
        return this;
    }

    public int port() {
        return port;
    }

    /** @return the OpenAPI document and the routes registered */
    public OpenApi openApi() {
        return http.openApi();
    }

    @Override
    public void close() throws Exception {
        http.close();
        models.close();
        cache.close();
        metrics.close();
    }

    /** What {@code predict-service --help} prints. */
    static final String USAGE = """
            Usage: predict-service
            The model as a REST endpoint: POST /predict (one window, JSON), POST /predict.csv (a price file).
            Configured by environment variables: PRICECAST_PREDICT_PORT (8086), PRICECAST_PREDICT_ENGINE (java),
            PRICECAST_PREDICT_MAX_CSV_MB (256), PRICECAST_KAFKA_BOOTSTRAP, PRICECAST_REGISTRY_URL,
            PRICECAST_MODELS_TOPIC (models). See docs/predict-service.md.""";

    public static void main(String[] args) throws Exception {
        ServiceMain.run("predict-service", USAGE, args, env -> start(env, 0));
    }
}

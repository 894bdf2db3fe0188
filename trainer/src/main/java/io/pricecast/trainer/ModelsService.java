package io.pricecast.trainer;

import io.pricecast.runtime.ServiceMain;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.trainer.http.ModelsHttp;
import io.pricecast.trainer.http.TokenCheck;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.schedule.Retraining;
import io.pricecast.trainer.schedule.WeeklySchedule;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models service: the registry's HTTP API and the retraining schedule in one process.
 *
 * <p>Settings (environment): those of {@link LifecycleSettings}; {@value WeeklySchedule#VARIABLE} (default
 * {@value WeeklySchedule#DEFAULT}); {@code PRICECAST_TRAIN_DATASET} (default {@code live});
 * {@code PRICECAST_TRAIN_PROMOTE} ({@code never}, {@code if-not-worse} (default), {@code always});
 * {@value TokenCheck#FILE_VARIABLE} or {@value TokenCheck#VARIABLE}.
 */
public final class ModelsService implements ServiceMain.Running {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsService.class);

    private final ServiceMetrics metrics = ServiceMetrics.forService("models");
    private final ModelRegistry registry;
    private final Retraining retraining;
    private final ModelsHttp http;
    private int port;

    private ModelsService(Map<String, String> env) {
        LifecycleSettings settings = LifecycleSettings.fromEnvironment(env);
        WeeklySchedule schedule =
                WeeklySchedule.parse(settings.service().get(WeeklySchedule.VARIABLE, WeeklySchedule.DEFAULT));
        TrainingJob.Promotion promotion = TrainingJob.Promotion.parse(
                settings.service().get("PRICECAST_TRAIN_PROMOTE", "if-not-worse"), "PRICECAST_TRAIN_PROMOTE");
        this.registry = settings.registry();
        this.retraining = new Retraining(
                schedule,
                env,
                settings.service().get("PRICECAST_TRAIN_DATASET", "live"),
                promotion,
                settings.service().stateDir().resolve("bundles"),
                Clock.systemUTC());
        this.http = new ModelsHttp(
                registry, TokenCheck.fromEnvironment(env), retraining, HttpGuard.fromEnvironment(env), metrics);
        this.port = settings.service().httpPort();
    }

    /**
     * Starts HTTP and the retraining schedule.
     *
     * @param env          the environment
     * @param overridePort the HTTP port when positive, else the configured one
     * @return the running service
     */
    public static ModelsService start(Map<String, String> env, int overridePort) {
        ModelsService service = new ModelsService(env);
        try {
            return service.run(overridePort);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private ModelsService run(int overridePort) {
        port = http.start(overridePort > 0 ? overridePort : port);
        retraining.start();
        LOG.info(
                "models service on port {}; retraining {}",
                port,
                retraining.status().get("schedule"));
        return this;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        http.close();
        retraining.close();
        registry.close();
        metrics.close();
    }

    /** What {@code models-service --help} prints. */
    static final String USAGE = """
            Usage: models-service
            The model registry's HTTP API (list, promote, rollback, retrain) and the retraining schedule.
            Configured by environment variables: PRICECAST_MODELS_PORT (8085), PRICECAST_MODELS_TOKEN, PRICECAST_KAFKA_BOOTSTRAP,
            PRICECAST_REGISTRY_URL, PRICECAST_CASSANDRA_CONTACT, PRICECAST_KEYSPACE. See docs/model-lifecycle.md.""";

    public static void main(String[] args) throws Exception {
        ServiceMain.run("models-service", USAGE, args, env -> start(env, 0));
    }
}

package io.pricecast.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of pricecast's own services, run from its module's build output ({@code target/classes} plus
 * the resolved {@code target/runtime.classpath}) with the stack's addresses in its environment.
 */
final class ServiceComponent implements Component {

    /**
     * The services, in start order: on the 3-node cluster, ingest, scoring and the sink each twice, the second
     * instance named {@code <service>-2} on its own port ({@code PRICECAST_<SERVICE>_2_PORT}) after the first.
     */
    static List<ServiceComponent> all(StackConfig config, Path repoRoot) {
        List<ServiceComponent> all = new ArrayList<>();
        Map<String, Integer> secondPorts = config.nodes() == 1
                ? Map.of()
                : Map.of("ingest", config.ingest2Port(), "scoring", config.scoring2Port(), "sink", config.sink2Port());
        for (ServiceComponent s : firstInstances(config, repoRoot)) {
            all.add(s);
            Integer second = secondPorts.get(s.name());
            if (second != null) {
                // ingest's transactional ids carry the instance id: two instances with one id would fence each other
                all.add(s.instance(s.name() + "-2", second, Map.of("PRICECAST_INSTANCE_ID", "2")));
            }
        }
        return List.copyOf(all);
    }

    private static List<ServiceComponent> firstInstances(StackConfig config, Path repoRoot) {
        return List.of(
                new ServiceComponent(
                        config,
                        repoRoot,
                        "ingest",
                        "ingest-service",
                        "io.pricecast.ingest.IngestService",
                        "PRICECAST_INGEST_PORT",
                        config.ingestPort()),
                new ServiceComponent(
                        config,
                        repoRoot,
                        "scoring",
                        "scoring-streams",
                        "io.pricecast.scoring.ScoringService",
                        "PRICECAST_SCORING_PORT",
                        config.scoringPort()),
                new ServiceComponent(
                        config,
                        repoRoot,
                        "sink",
                        "sink-service",
                        "io.pricecast.sink.SinkService",
                        "PRICECAST_SINK_PORT",
                        config.sinkPort()),
                new ServiceComponent(
                        config,
                        repoRoot,
                        "models",
                        "trainer",
                        "io.pricecast.trainer.ModelsService",
                        "PRICECAST_MODELS_PORT",
                        config.modelsPort()),
                new ServiceComponent(
                        config,
                        repoRoot,
                        "predict",
                        "predict-service",
                        "io.pricecast.predict.PredictService",
                        "PRICECAST_PREDICT_PORT",
                        config.predictPort()));
    }

    private final StackConfig config;
    private final Path module;
    private final String name;
    private final String mainClass;
    private final String portVariable;
    private final int port;
    private final Map<String, String> extraEnvironment;

    private ServiceComponent(
            StackConfig config,
            Path repoRoot,
            String name,
            String module,
            String mainClass,
            String portVariable,
            int port) {
        this(config, repoRoot.resolve(module), name, mainClass, portVariable, port, Map.of());
    }

    private ServiceComponent(
            StackConfig config,
            Path module,
            String name,
            String mainClass,
            String portVariable,
            int port,
            Map<String, String> extraEnvironment) {
        this.config = config;
        this.module = module;
        this.name = name;
        this.mainClass = mainClass;
        this.portVariable = portVariable;
        this.port = port;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /**
     * Another instance of this service (same build, same consumer groups and application id), with a name of
     * its own, hence its own log, pid file and state directory {@code state/<instanceName>}.
     *
     * @param instanceName     the instance's component name, e.g. {@code scoring-2}
     * @param instancePort     its HTTP port
     * @param extraEnvironment variables set on top of the service's environment (e.g. {@code PRICECAST_STATE_DIR})
     * @return the instance
     */
    ServiceComponent instance(String instanceName, int instancePort, Map<String, String> extraEnvironment) {
        return new ServiceComponent(
                config, module, instanceName, mainClass, portVariable, instancePort, extraEnvironment);
    }

    /** @return the main class the service runs */
    String mainClass() {
        return mainClass;
    }

    /** @return whether the module has been built (its runtime classpath exists) */
    boolean isBuilt() {
        return Files.isRegularFile(module.resolve("target").resolve("runtime.classpath"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public int mainPort() {
        return port;
    }

    @Override
    public Path logFile() {
        return config.logDir().resolve(name + ".log");
    }

    @Override
    public void prepare(JavaRuntime java) throws IOException {
        if (!extraEnvironment.containsKey("PRICECAST_STATE_DIR")) {
            Files.createDirectories(stateDir());
        }
        ModelsToken.ensure(config.modelsTokenFile());
        UrlSigningKey.ensure(UrlSigningKey.file(config));
    }

    private Path stateDir() {
        return config.home().resolve("state").resolve(name);
    }

    @Override
    public List<String> command(JavaRuntime java) {
        String classpath;
        try {
            classpath = module.resolve("target/classes")
                    + File.pathSeparator
                    + Files.readString(module.resolve("target/runtime.classpath"))
                            .trim();
        } catch (IOException e) {
            throw new StackException(
                    name + " is not built (" + module.resolve("target/runtime.classpath")
                            + " missing); run ./pricecast build",
                    e);
        }
        return List.of(
                java.executable(),
                "-Xms64m",
                "-Xmx" + config.serviceHeap(),
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                classpath,
                mainClass);
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", config.kafkaBootstrap());
        env.put("PRICECAST_REGISTRY_URL", config.registryUrl());
        env.put("PRICECAST_CASSANDRA_CONTACT", config.cassandraContacts());
        if (config.nodes() > 1) {
            // a scoring instance keeps a warm copy of the other's stores, so failover restores nothing from scratch
            env.put("PRICECAST_SCORING_STANDBY_REPLICAS", "1");
        }
        env.put("PRICECAST_KEYSPACE", config.keyspace());
        env.put("PRICECAST_STATE_DIR", stateDir().toString());
        env.put("PRICECAST_INGEST_URL", "http://127.0.0.1:" + config.ingestPort());
        env.put("PRICECAST_SINK_URL", "http://127.0.0.1:" + config.sinkPort());
        env.put("PRICECAST_PREDICT_URL", "http://127.0.0.1:" + config.predictPort());
        env.put("PRICECAST_MODELS_TOKEN_FILE", config.modelsTokenFile().toString());
        env.put("PRICECAST_URL_SIGNING_KEY_FILE", UrlSigningKey.file(config).toString());
        env.put(portVariable, Integer.toString(port));
        env.putAll(extraEnvironment);
        return env;
    }

    @Override
    public Health check(Duration timeout) {
        // readiness: up means the service can do its job now (its liveness, /health/live, ignores dependencies)
        return HttpHealth.check(port, "http://127.0.0.1:" + port + "/health/ready", "/health/ready ok", timeout);
    }

    @Override
    public void initialize() {
        // services create what they own (tables, internal topics) themselves at start
    }
}

package io.pricecast.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.javalin.Javalin;
import io.pricecast.ingest.console.ConsoleIntake;
import io.pricecast.ingest.http.HealthChecks;
import io.pricecast.ingest.http.HttpApi;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.ingest.store.CqlSchema;
import io.pricecast.ingest.upload.UploadContext;
import io.pricecast.ingest.upload.UploadProducers;
import io.pricecast.ingest.upload.UploadProgress;
import io.pricecast.ingest.upload.UploadStore;
import io.pricecast.ingest.upload.UploadVerdictsView;
import io.pricecast.ingest.upload.Uploads;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.ServiceMain;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.http.OpenApi;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest-service: CSV uploads over HTTP and the console-producer intake, validated by price-input and
 * published exactly once to the clean and rejected topics with lineage (docs/ingest-service.md).
 *
 * <p>Run by {@code ./pricecast up} with the stack's addresses in {@code PRICECAST_*} variables.
 */
public final class IngestService implements ServiceMain.Running {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    /** The port variable and its default. */
    public static final String PORT_VARIABLE = "PRICECAST_INGEST_PORT";

    public static final int DEFAULT_PORT = 8082;
    static final String SERVICE_NAME = "ingest";

    private final CqlSession session;
    private final Admin admin;
    private final ValueSerializers serializers;
    private final Uploads uploads;
    private final Optional<ConsoleIntake> console;
    private final Javalin http;
    private final OpenApi openApi;
    private final IngestMeters meters;
    private final ServiceMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IngestService(
            CqlSession session,
            Admin admin,
            ValueSerializers serializers,
            Uploads uploads,
            Optional<ConsoleIntake> console,
            Javalin http,
            OpenApi openApi,
            IngestMeters meters,
            ServiceMetrics metrics) {
        this.session = session;
        this.admin = admin;
        this.serializers = serializers;
        this.uploads = uploads;
        this.console = console;
        this.http = http;
        this.openApi = openApi;
        this.meters = meters;
        this.metrics = metrics;
    }

    /**
     * Starts the service: tables, producers, console intake, HTTP.
     *
     * @param settings where the rest of the system is
     * @param config   ingest configuration
     * @param serdes   the Avro serde factory
     * @return the running service
     */
    public static IngestService start(ServiceSettings settings, IngestConfig config, AvroSerdes serdes)
            throws IOException {
        Path stateDir = settings.stateDir();
        Path spill = Files.createDirectories(stateDir.resolve("spill"));
        String version = CodeVersion.current();
        ServiceMetrics metrics = ServiceMetrics.forService(SERVICE_NAME);
        IngestMeters meters = new IngestMeters(metrics.registry());
        AtomicBoolean ready = new AtomicBoolean();
        CqlSession session;
        try {
            session = CqlSessions.open(settings, metrics.registry());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        Admin admin = null;
        ValueSerializers serializers = null;
        Uploads uploads = null;
        try {
            CqlSchema.apply(session, settings.keyspace());
            KafkaAccess kafka = settings.kafka();
            admin = Admin.create(kafka.properties());
            metrics.kafkaClient(admin);
            serializers = ValueSerializers.of(serdes);
            UploadContext context = new UploadContext(
                    config,
                    kafka,
                    serializers,
                    new UploadStore(session, settings.keyspace()),
                    new UploadProgress(admin, config.cleanTopic()),
                    new UploadVerdictsView(session, settings.keyspace()),
                    new UploadProducers(
                            kafka, config.instanceId(), config.transactionTimeout(), config.uploadWorkers(), metrics),
                    spill,
                    version,
                    meters);
            uploads = Uploads.create(context, stateDir);
            List<String> resumed = uploads.resumeInterrupted();
            Optional<ConsoleIntake> console = config.consoleEnabled()
                    ? Optional.of(new ConsoleIntake(config, kafka, serializers, version, meters, metrics))
                    : Optional.empty();
            console.ifPresent(ConsoleIntake::start);
            HttpApi api = new HttpApi(
                    uploads,
                    new HealthChecks(admin, session, console),
                    ready::get,
                    meters,
                    metrics,
                    config.maxUploadBytes(),
                    stateDir.resolve("multipart"),
                    HttpGuard.fromEnvironment(settings.env()));
            Javalin http = api.start(settings.httpPort());
            ready.set(true);
            if (!resumed.isEmpty()) {
                LOG.info("resumed {} interrupted uploads: {}", resumed.size(), resumed);
            }
            LOG.info(
                    "ingest-service {} on port {}: uploads to {} / {}, console intake from {} ({}), keyspace {}",
                    version,
                    http.port(),
                    config.cleanTopic(),
                    config.rejectedTopic(),
                    config.rawTopic(),
                    config.consoleEnabled() ? "on" : "off",
                    settings.keyspace());
            return new IngestService(
                    session, admin, serializers, uploads, console, http, api.openApi(), meters, metrics);
        } catch (RuntimeException | IOException e) {
            if (uploads != null) {
                uploads.close();
            }
            if (serializers != null) {
                serializers.close();
            }
            if (admin != null) {
                admin.close();
            }
            session.close();
            metrics.close();
            throw e;
        }
    }

    /** @return the HTTP port actually bound */
    public int port() {
        return http.port();
    }

    /** @return the OpenAPI document and the routes registered */
    public OpenApi openApi() {
        return openApi;
    }

    /** @return ingest's own meters */
    public IngestMeters meters() {
        return meters;
    }

    /** @return the registry served on /metrics */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** Stops HTTP first (no new uploads), then the console intake and the upload workers, then the clients. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("ingest-service stopping");
        http.stop();
        console.ifPresent(ConsoleIntake::close);
        uploads.close();
        serializers.close();
        admin.close();
        session.close();
        metrics.close();
        LOG.info("ingest-service stopped");
    }

    /** What {@code ingest-service --help} prints. */
    static final String USAGE = """
            Usage: ingest-service
            Uploads (POST /uploads, the test URL) and the console topic prices.raw, validated into prices.clean and
            prices.rejected. Configured by environment variables: PRICECAST_INGEST_PORT (8082), PRICECAST_KAFKA_BOOTSTRAP,
            PRICECAST_REGISTRY_URL, PRICECAST_CASSANDRA_CONTACT, PRICECAST_KEYSPACE and the PRICECAST_INGEST_* limits.
            See docs/ingest-service.md.""";

    /**
     * @param args none, or {@code --help}
     */
    public static void main(String[] args) throws Exception {
        ServiceMain.run("ingest-service", USAGE, args, env -> {
            ServiceSettings settings = ServiceSettings.fromEnvironment(env, PORT_VARIABLE, DEFAULT_PORT, SERVICE_NAME);
            return start(settings, IngestConfig.fromSettings(settings), settings.serdes());
        });
    }
}

package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus, for a stack started with {@code ./pricecast up --monitoring}: it scrapes every service of the stack
 * on its own port and evaluates the repository's alert rules ({@code monitoring/pricecast.rules.yml}), as the compose
 * file's Prometheus does with the compose names. Its data lives under {@code data/prometheus}.
 *
 * <p>Prometheus is not a JVM and takes no {@code -D} options: it carries the launcher's markers in the title of its
 * web pages ({@link #markerArguments}), where they are on its command line all the same.
 */
final class PrometheusComponent implements Component {

    static final String NAME = "prometheus";

    private final StackConfig config;
    private final List<ServiceComponent> services;
    private final Path rules;
    private final Path configFile;
    private final Path tokenFile;

    /**
     * @param config   the stack's configuration
     * @param services the services to scrape
     * @param repoRoot the repository, whose {@code monitoring/pricecast.rules.yml} holds the rules
     */
    PrometheusComponent(StackConfig config, List<ServiceComponent> services, Path repoRoot) {
        this.config = config;
        this.services = List.copyOf(services);
        this.rules =
                repoRoot.resolve("monitoring").resolve("pricecast.rules.yml").toAbsolutePath();
        this.configFile = config.confDir().resolve("prometheus.yml");
        this.tokenFile = config.confDir().resolve("prometheus.read.token");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.prometheusPort());
    }

    @Override
    public int mainPort() {
        return config.prometheusPort();
    }

    @Override
    public Path logFile() {
        return config.logDir().resolve("prometheus.log");
    }

    /** Prometheus takes no {@code -D} options: the markers go into the title of its web pages. */
    @Override
    public List<String> markerArguments(List<String> markers) {
        return List.of("--web.page-title=pricecast " + String.join(" ", markers));
    }

    @Override
    public String unsupportedRuntime(JavaRuntime java) {
        return executable() == null
                ? "the Prometheus server '" + config.prometheusBinary() + "' is not an executable file or on PATH;"
                        + " install it (Debian: apt-get install prometheus) or set PRICECAST_PROMETHEUS_BIN"
                : null;
    }

    @Override
    public void prepare(JavaRuntime java) throws IOException {
        Files.createDirectories(config.dataDir().resolve(NAME));
        Files.createDirectories(config.confDir());
        String token = System.getenv("PRICECAST_HTTP_READ_TOKEN");
        boolean withToken = token != null && !token.isBlank();
        if (withToken) {
            Files.writeString(tokenFile, token.strip());
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(configFile, scrapeConfig(withToken));
    }

    /** @return the configuration: the rules, and one target per service labelled with its name */
    String scrapeConfig(boolean withToken) {
        StringBuilder yaml = new StringBuilder()
                .append("# written by ./pricecast up --monitoring for this stack's ports; rewritten at each start\n")
                .append("global:\n")
                .append("  scrape_interval: ")
                .append(config.scrapeInterval())
                .append('\n')
                .append("  evaluation_interval: ")
                .append(config.scrapeInterval())
                .append('\n')
                .append("rule_files:\n")
                .append("  - \"")
                .append(rules)
                .append("\"\n")
                .append("scrape_configs:\n")
                .append("  - job_name: pricecast\n")
                .append("    honor_labels: true\n");
        if (withToken) {
            yaml.append("    authorization:\n")
                    .append("      credentials_file: \"")
                    .append(tokenFile)
                    .append("\"\n");
        }
        yaml.append("    static_configs:\n");
        for (ServiceComponent s : services) {
            yaml.append("      - targets: [\"127.0.0.1:")
                    .append(s.mainPort())
                    .append("\"]\n")
                    .append("        labels: {service: ")
                    .append(s.name())
                    .append("}\n");
        }
        return yaml.toString();
    }

    @Override
    public List<String> command(JavaRuntime java) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.add("--config.file=" + configFile);
        cmd.add("--storage.tsdb.path=" + config.dataDir().resolve(NAME));
        cmd.add("--web.listen-address=127.0.0.1:" + config.prometheusPort());
        return cmd;
    }

    /** @return the executable, or null when there is none */
    private Path executable() {
        return ComponentProcess.onPath(config.prometheusBinary());
    }

    @Override
    public Health check(Duration timeout) {
        return HttpHealth.check(
                config.prometheusPort(), config.prometheusUrl() + "/-/ready", "Prometheus ready", timeout);
    }

    @Override
    public void initialize() {
        // nothing to create: it reads its configuration at start
    }
}

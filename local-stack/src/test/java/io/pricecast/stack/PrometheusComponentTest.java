package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus of {@code ./pricecast up --monitoring}: its configuration, command line and settings. */
class PrometheusComponentTest {

    private static final Path REPO = Path.of("repo").toAbsolutePath();

    @TempDir
    Path home;

    private StackConfig config(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PRICECAST_HOME", home.toString());
        return StackConfig.fromEnvironment(all, home);
    }

    @Test
    void scrapesEveryServiceOnItsPortLabelledWithItsNameAndLoadsTheRepositorysRules() {
        StackConfig config =
                config(Map.of("PRICECAST_SINK_PORT", "18084", "PRICECAST_PROMETHEUS_SCRAPE_INTERVAL", "1s"));
        PrometheusComponent prometheus = new PrometheusComponent(config, ServiceComponent.all(config, REPO), REPO);

        String yaml = prometheus.scrapeConfig(false);

        assertThat(yaml)
                .contains("  scrape_interval: 1s\n", "  evaluation_interval: 1s\n")
                .contains("  - \"" + REPO.resolve("monitoring/pricecast.rules.yml") + "\"\n")
                .contains("  - job_name: pricecast\n    honor_labels: true\n")
                .contains("      - targets: [\"127.0.0.1:18084\"]\n        labels: {service: sink}\n")
                .contains("{service: ingest}", "{service: scoring}", "{service: models}", "{service: predict}")
                .doesNotContain("authorization");
        assertThat(prometheus.scrapeConfig(true))
                .contains("    authorization:\n      credentials_file: \""
                        + config.confDir().resolve("prometheus.read.token") + "\"\n");
    }

    @Test
    void carriesTheLaunchersMarkersInItsPageTitleNotAsJvmOptions() {
        StackConfig config =
                config(Map.of("PRICECAST_PROMETHEUS_PORT", "19990", "PRICECAST_PROMETHEUS_BIN", "/bin/true"));
        PrometheusComponent prometheus = new PrometheusComponent(config, List.of(), REPO);
        List<String> markers = List.of("-Dpricecast.component=prometheus", "-Dpricecast.home=" + home);

        List<String> command = prometheus.marked(prometheus.command(null), markers);

        assertThat(command.get(0)).isEqualTo("/bin/true");
        assertThat(command.get(1))
                .isEqualTo("--web.page-title=pricecast -Dpricecast.component=prometheus -Dpricecast.home=" + home);
        assertThat(command)
                .contains(
                        "--web.listen-address=127.0.0.1:19990",
                        "--config.file=" + config.confDir().resolve("prometheus.yml"));
        assertThat(String.join(" ", command)).contains("-Dpricecast.home=" + home + " ");
    }

    @Test
    void saysHowToInstallPrometheusWhenItIsMissing() {
        StackConfig config = config(Map.of("PRICECAST_PROMETHEUS_BIN", "no-such-prometheus"));
        PrometheusComponent prometheus = new PrometheusComponent(config, List.of(), REPO);

        assertThat(prometheus.unsupportedRuntime(null))
                .contains("'no-such-prometheus'")
                .contains("apt-get install prometheus")
                .contains("PRICECAST_PROMETHEUS_BIN");
    }

    @Test
    void refusesAScrapeIntervalThatIsNotADurationNamingTheVariable() {
        assertThatThrownBy(() -> config(Map.of("PRICECAST_PROMETHEUS_SCRAPE_INTERVAL", "15")))
                .hasMessageContaining("PRICECAST_PROMETHEUS_SCRAPE_INTERVAL=15");
        assertThat(config(Map.of()).scrapeInterval()).isEqualTo("15s");
        assertThat(config(Map.of()).prometheusPort()).isEqualTo(StackConfig.DEFAULT_PROMETHEUS_PORT);
    }
}

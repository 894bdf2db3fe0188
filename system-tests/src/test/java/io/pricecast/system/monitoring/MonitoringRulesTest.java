package io.pricecast.system.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.testing.RequiredTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code monitoring/} pass Prometheus' own checker and their unit tests
 * ({@code promtool check rules}, {@code promtool test rules}: every alert fires on the series it is written for and not
 * on the others), and the Grafana dashboard asks only for metrics the services serve (docs/metrics.md).
 * promtool is Debian's {@code prometheus} package, which {@code .ci/run} installs.
 */
class MonitoringRulesTest {

    private static final Path MONITORING =
            Path.of("..", "monitoring").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b(pricecast_[a-z0-9_]+|kafka_[a-z0-9_]+|up)\\b");

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        RequiredTools.requireOnPath("promtool", "Debian: apt-get install prometheus");
        Result check = promtool("check", "rules", "pricecast.rules.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found");
        Result test = promtool("test", "rules", "pricecast.rules.test.yml");
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheServicesServe() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(MONITORING.resolve("grafana/pricecast-dashboard.json").toFile());
        String documented = Files.readString(Path.of("..", "docs", "metrics.md"));
        String rules = Files.readString(MONITORING.resolve("pricecast.rules.yml"));
        List<String> queries = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(p -> p.path("targets")
                        .forEach(t -> queries.add(t.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(7);
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                String name = m.group(1).replaceAll("_(total|bucket|count|sum)$", "");
                assertThat(documented.contains(name) || rules.contains(name) || name.equals("up"))
                        .as(name + " in " + query + " is in docs/metrics.md or the rules")
                        .isTrue();
            }
        }
    }

    private record Result(int exit, String output) {}

    private static Result promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(MONITORING.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + ": no answer within 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

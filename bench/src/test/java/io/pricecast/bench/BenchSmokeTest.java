package io.pricecast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pricecast bench --smoke} end to end on a real local stack (Kafka, registry, Cassandra and the three
 * services built in this reactor): the report files exist and hold every key with a sane value. Never a timed
 * assertion: the figures of a smoke run on a shared machine say nothing about speed.
 */
class BenchSmokeTest {

    private static final List<String> PLOTS = List.of(
            "daily_close.png",
            "backfill.png",
            "ratios.png",
            "scaling_throughput.png",
            "scaling_latency.png",
            "memory.png",
            "cpu.png");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path out;

    @Test
    void smokeRunWritesReportFilesWithEveryKeyAndSaneValues() throws Exception {
        System.setProperty(
                "pricecast.root", Path.of("..").toAbsolutePath().normalize().toString());

        // the predict section needs wrk: there already, or installable here (root or password-less sudo, apt-get)
        boolean predict = Wrk.availableOrInstallable();
        int exit = predict
                ? BenchCommand.run("--smoke", "--out", out.toString())
                : BenchCommand.run("--smoke", "--only", "pipeline", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode report =
                new ObjectMapper().readTree(out.resolve(Report.JSON_FILE).toFile());
        if (predict) {
            for (String key : Report.PREDICT_HEADLINE) {
                if (key.endsWith("_auto") && report.path("predict").has("auto_engine_note")) {
                    continue; // the auto engine (DJL) could not start here: the report says why instead
                }
                assertThat(report.path(key).isNumber()).as(key + " is a number").isTrue();
                assertThat(report.path(key).asDouble()).as(key).isPositive().isFinite();
            }
            assertThat(report.path("predict").path("runs")).hasSize(1);
            assertThat(Files.readString(out.resolve(Report.MARKDOWN_FILE)))
                    .contains("## Predict service", "1 vs 2 replicas");
        }
        for (String key : Report.HEADLINE) {
            assertThat(report.path(key).isNumber()).as(key + " is a number").isTrue();
            assertThat(report.path(key).asDouble()).as(key).isPositive().isFinite();
        }
        for (String service : BenchStack.SERVICES) {
            assertThat(report.path("heap_mb").path(service).asDouble())
                    .as("heap of " + service)
                    .isBetween(1.0, 8192.0);
        }
        for (String component : BenchStack.COMPONENTS) {
            assertThat(report.path("rss_mb").path(component).asDouble())
                    .as("RSS of " + component)
                    .isPositive();
            assertThat(report.path("cpu_seconds_per_1000_predictions")
                            .path(component)
                            .asDouble())
                    .as("CPU of " + component)
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(report.path("daily_close_seconds").asDouble())
                .isLessThan(report.path("duration_seconds").asDouble());
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("machine").path("memory_mb").asLong()).isPositive();
        assertThat(report.path("versions").path("kafka").asText()).isNotBlank().doesNotContain("${");
        assertThat(report.path("scaling")).hasSize(3);
        assertThat(report.path("figures")
                        .path("daily_close_p99_ms")
                        .path("median")
                        .asDouble())
                .isGreaterThanOrEqualTo(report.path("figures")
                        .path("daily_close_p50_ms")
                        .path("median")
                        .asDouble());

        String markdown = Files.readString(out.resolve(Report.MARKDOWN_FILE));
        assertThat(markdown)
                .contains(
                        "# pricecast bench",
                        "## Headline",
                        "## Daily close",
                        "## Backfill",
                        "## Scaling",
                        "## Memory and CPU",
                        "## Targets",
                        "cores");
        for (String plot : PLOTS) {
            Path png = out.resolve(plot);
            assertThat(png).as(plot).isRegularFile();
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), PNG_MAGIC.length);
            assertThat(head).as(plot + " is a PNG").isEqualTo(PNG_MAGIC);
            assertThat(markdown).contains("(" + plot + ")");
        }
    }
}

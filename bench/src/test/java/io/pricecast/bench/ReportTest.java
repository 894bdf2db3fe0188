package io.pricecast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic and files, from runs made up here (no stack). */
class ReportTest {

    private static final ScalePoint MAIN = new ScalePoint(100, 10);
    private static final ScalePoint SMALL = new ScalePoint(20, 10);

    @TempDir
    Path out;

    @Test
    void headlineFiguresAreMediansOfPerRunRatiosAndTargetsAreJudgedOnThem() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        runs.add(run(MAIN, 1, 1_000, 0.8, 100_000));
        runs.add(run(MAIN, 2, 2_000, 0.5, 100_000));
        runs.add(run(MAIN, 3, 3_000, 2.0, 50_000));
        runs.add(run(SMALL, 1, 500, 0.3, 100_000));

        new Report(MAIN, runs, context()).write(out);

        JsonNode json =
                new ObjectMapper().readTree(out.resolve(Report.JSON_FILE).toFile());
        assertThat(json.path("daily_close_seconds").asDouble()).isEqualTo(0.8);
        assertThat(json.path("figures").path("daily_close_seconds").path("min").asDouble())
                .isEqualTo(0.5);
        assertThat(json.path("figures").path("daily_close_seconds").path("max").asDouble())
                .isEqualTo(2.0);
        // scoring / raw pipe per run: 1,000/100,000, 2,000/100,000, 3,000/50,000 -> median 0.02
        assertThat(json.path("scoring_ratio_to_raw_pipe").asDouble()).isEqualTo(0.02);
        assertThat(json.path("heap_mb").path("scoring").asDouble()).isEqualTo(200);
        // 1,100 forecasts per run (1,000 backfill + 100 daily close), 11 CPU s for scoring -> 10 s per 1,000
        assertThat(json.path("cpu_seconds_per_1000_predictions").path("scoring").asDouble())
                .isCloseTo(10.0, within(1e-9));
        assertThat(json.path("scaling")).hasSize(2);
        assertThat(json.path("scaling").get(0).path("symbols").asInt()).isEqualTo(20);
        // floor 1 s per run (0.5 s of inserts at 400 rows/s, 0.5 s of produce): the daily close over it is 0.8
        assertThat(json.path("daily_close_ratio_to_floor").asDouble()).isEqualTo(0.8);
        assertThat(json.path("floor_seconds").asDouble()).isEqualTo(1.0);
        // 800 records/s end to end over (400 rows/s / 2)
        assertThat(json.path("backfill_ratio_to_raw_inserts").asDouble()).isEqualTo(4.0);
        // Cassandra 1.1 CPU s over 1,100 forecasts
        assertThat(json.path("cassandra_cpu_seconds_per_1000_forecasts").asDouble())
                .isCloseTo(1.0, within(1e-9));
        assertThat(json.path("turnaround_seconds_10k_rows").asDouble()).isEqualTo(1.5);
        assertThat(json.path("figures")
                        .path("daily_close_cpu_seconds")
                        .path("median")
                        .asDouble())
                .isEqualTo(8.0);
        assertThat(json.path("figures")
                        .path("turnaround_cpu_bound_seconds")
                        .path("median")
                        .asDouble())
                .isEqualTo(3.0 / RunResult.CORES);
        assertThat(json.path("targets").get(0).path("met").asBoolean())
                .as("daily close within 4 x the floor")
                .isTrue();
        assertThat(json.path("targets").get(3).path("met").asBoolean())
                .as("Cassandra <= 0.25 CPU s")
                .isFalse();
        String md = Files.readString(out.resolve(Report.MARKDOWN_FILE));
        assertThat(md)
                .contains("| daily close of 100 symbols / the floor | <= 4 | 0.800 | yes |")
                .contains("| daily close of 100 symbols, seconds (idle machine) | <= 2 | 0.800 | yes |");
        for (String png : List.of(
                "daily_close", "backfill", "ratios", "scaling_throughput", "scaling_latency", "memory", "cpu")) {
            assertThat(out.resolve(png + ".png")).isNotEmptyFile();
        }
    }

    @Test
    void predictOnlyReportHasThePredictKeysMediansOfPerRunRatiosAndItsTargetsButNoPipelineFigures() throws Exception {
        List<PredictBench.Run> runs = List.of(
                predictRun(1, 4.0, 1_000, 2_000, 1_000, 20_000),
                predictRun(2, 6.0, 1_200, 2_000, 1_300, 10_000),
                predictRun(3, 2.0, 900, 3_000, 900, 40_000));

        new Report(MAIN, List.of(), new PredictBench.Summary(runs, Map.of("wrk", "wrk 4.1.0")), context()).write(out);

        JsonNode json =
                new ObjectMapper().readTree(out.resolve(Report.JSON_FILE).toFile());
        for (String key : Report.PREDICT_HEADLINE) {
            assertThat(json.path(key).isNumber()).as(key).isTrue();
        }
        assertThat(json.has("daily_close_seconds")).isFalse();
        assertThat(json.path("sections").get(0).asText()).isEqualTo("predict");
        assertThat(json.path("predict_p99_ms_single").asDouble()).isEqualTo(4.0);
        assertThat(json.path("figures").path("predict_p99_ms_single").path("runs"))
                .hasSize(3);
        assertThat(json.path("predict_requests_per_second").asDouble()).isEqualTo(1_000);
        // per run 1,000/2,000, 1,200/2,000, 900/3,000 -> median 0.5
        assertThat(json.path("predict_ratio_to_health").asDouble()).isEqualTo(0.5);
        // 2 replicas per run 1,000/1,000, 1,300/1,200, 900/900 -> median 1
        assertThat(json.path("predict_scaling_2_vs_1").asDouble()).isEqualTo(1.0);
        assertThat(json.path("predict_requests_per_second_2_replicas").asDouble())
                .isEqualTo(1_000);
        // 100,000 rows in 5, 10 and 2.5 s
        assertThat(json.path("predict_csv_rows_per_second").asDouble()).isEqualTo(20_000);
        assertThat(json.path("predict_csv_rows_per_second_auto").asDouble()).isEqualTo(40_000);
        assertThat(json.path("predict").path("runs")).hasSize(3);
        assertThat(json.path("predict")
                        .path("runs")
                        .get(0)
                        .path("single")
                        .path("latency_ms")
                        .path("p99")
                        .asDouble())
                .isEqualTo(4.0);
        assertThat(json.path("targets")).hasSize(2);
        assertThat(json.path("targets").get(0).path("met").asBoolean())
                .as("p99 4 ms <= 5 ms")
                .isTrue();
        assertThat(json.path("targets").get(1).path("met").asBoolean())
                .as("ratio 0.5 >= 0.5")
                .isTrue();
        String md = Files.readString(out.resolve(Report.MARKDOWN_FILE));
        assertThat(md)
                .contains(
                        "## Predict service",
                        "| predict_p99_ms_single (ms) | 4.00 [2.00, 6.00] |",
                        "**1 vs 2 replicas.** 2 replicas served 1.00 x",
                        "same " + RunResult.CORES + " cores",
                        "| predict: p99 of POST /predict, one window, 1 client, ms | <= 5 | 4.00 | yes |")
                .doesNotContain("## Daily close", "## Backfill");
        assertThat(out.resolve("daily_close.png")).doesNotExist();
    }

    private static PredictBench.Run predictRun(
            int run, double p99, double rps, double health, double rps2, double csvRowsPerSecond) {
        Map<Double, Double> latency = Map.of(50.0, p99 / 10, 99.0, p99);
        return new PredictBench.Run(
                run,
                0.05,
                new Wrk.Result(3_000, 24_000, 8, latency, 0, 0),
                new Wrk.Result(rps, (long) rps * 8, 8, latency, 0, 0),
                new Wrk.Result(health, (long) health * 8, 8, latency, 0, 0),
                new Wrk.Result(rps2 / 2, 0, 8, latency, 0, 0),
                new Wrk.Result(rps2 / 2, 0, 8, latency, 0, 0),
                0.99,
                1.0,
                new PredictBench.Csv(100_000, 99_900, 100_000 / csvRowsPerSecond),
                new PredictBench.Csv(100_000, 99_900, 100_000 / (2 * csvRowsPerSecond)));
    }

    private static RunResult run(ScalePoint p, int run, double scoring, double closeSeconds, double pipe) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String c : BenchStack.COMPONENTS) {
            cpu.put(c, 1.1);
        }
        cpu.put("scoring", 11.0);
        Map<String, Double> heap = Map.of("ingest", 100.0, "scoring", 200.0, "sink", 300.0);
        Map<String, Double> rss = new LinkedHashMap<>();
        BenchStack.COMPONENTS.forEach(c -> rss.put(c, 400.0));
        return new RunResult(
                p,
                run,
                new Pipeline.Backfill(p.records(), 5_000, scoring, 900, scoring, 850, 800, p.records() / 800.0),
                new Pipeline.DailyClose(
                        p.symbols(), closeSeconds, 100, 200, 250, closeSeconds / 4, closeSeconds / 2, 8.0),
                cpu,
                heap,
                rss,
                new RunResult.Raw(
                        200_000,
                        pipe,
                        1_000,
                        15_000,
                        new Baselines.Floor(2L * p.symbols(), 0.5, p.symbols(), 0.5, 1.0)),
                new Pipeline.Turnaround(1.5, 0.5, 1.0, Map.of("cassandra", 2.0, "sink", 1.0)));
    }

    private static Map<String, Object> context() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("machine", MachineInfo.machine());
        c.put("load_average", List.of(1.0, 2.0));
        c.put("versions", MachineInfo.versions());
        c.put("config", Map.of("symbols", 100));
        return c;
    }
}

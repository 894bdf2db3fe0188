package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pricecast.avro.Prediction;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kafka Connect recipe on the running system: {@code ./pricecast connect-standalone}, a real Kafka Connect
 * standalone worker (Kafka's own {@code connect-runtime}, the {@code FileStreamSink} connector and Apicurio's Avro
 * converter, from {@code servers/connect-worker}), with the recipe's two files, {@code examples/connect/}, where only
 * the addresses and paths are this stack's. It reads the {@code predictions} topic into a file: one line per forecast, whose id and
 * predicted open are those of the forecast on the topic. Nothing in it knows pricecast: the values are read by the
 * schema id each record carries.
 */
abstract class KafkaConnectChecks {

    private static final Path RECIPE = Path.of("..", "examples", "connect");
    private static final Pattern ID = Pattern.compile("^Struct\\{prediction_id=([^,}]+)");
    private static final Pattern PRED_OPEN = Pattern.compile(",pred_open=([^,}]+)");

    abstract StackConfig config();

    /** @return every forecast on the predictions topic now (committed, up to the end offsets) */
    abstract List<Prediction> forecasts();

    @TempDir
    Path dir;

    @Test
    void aConnectStandaloneWorkerWithTheRecipeReadsThePredictionsTopicIntoAFileOfTheForecasts() throws Exception {
        Path worker = recipe(
                "worker.properties",
                Map.of(
                        "bootstrap.servers",
                        config().kafkaBootstrap(),
                        "value.converter.apicurio.registry.url",
                        config().registryUrl() + "/apis/registry/v2",
                        "offset.storage.file.filename",
                        dir.resolve("connect.offsets").toString(),
                        "listeners",
                        "http://127.0.0.1:" + new PortAllocator().next()));
        Path out = dir.resolve("predictions.txt");
        Path sink = recipe("predictions-file-sink.properties", Map.of("file", out.toString()));
        List<Prediction> onTheTopic = forecasts();
        assertThat(onTheTopic).hasSizeGreaterThanOrEqualTo(1_095);

        Path log = Files.createDirectories(Path.of("target", "connect")).resolve("worker.log");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder recipe = new ProcessBuilder(
                        repo.resolve("pricecast").toString(), "connect-standalone", worker.toString(), sink.toString())
                .directory(repo.toFile());
        recipe.environment().put("PRICECAST_NO_BUILD", "1");
        Process connect =
                recipe.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Map<String, Double> expected = onTheTopic.stream()
                    .collect(Collectors.toMap(
                            p -> p.getPredictionId().toString(), Prediction::getPredOpen, (a, b) -> a));
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(connect.isAlive())
                                .as("the worker runs (%s)", log)
                                .isTrue();
                        assertThat(lines(out).keySet()).containsAll(expected.keySet());
                    });
            Map<String, Double> written = lines(out);
            expected.forEach((id, predOpen) ->
                    assertThat(written.get(id)).as("pred_open of %s", id).isEqualTo(predOpen));
        } finally {
            connect.destroy();
            if (!connect.waitFor(60, TimeUnit.SECONDS)) {
                connect.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** @return the recipe's file with these properties set to this stack's values, written under the test's dir */
    private Path recipe(String name, Map<String, String> overrides) throws IOException {
        Map<String, String> left = new HashMap<>(overrides);
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(RECIPE.resolve(name))) {
            int eq = line.indexOf('=');
            String key = line.startsWith("#") || eq < 0 ? null : line.substring(0, eq);
            text.append(key != null && left.containsKey(key) ? key + "=" + left.remove(key) : line)
                    .append('\n');
        }
        left.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path copy = dir.resolve(name);
        Files.writeString(copy, text);
        return copy;
    }

    /** @return each line's forecast id and predicted open, as the connector wrote them */
    private static Map<String, Double> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        return Files.readAllLines(file).stream()
                .filter(l -> !l.isBlank())
                .collect(Collectors.toMap(KafkaConnectChecks::id, KafkaConnectChecks::predOpen, (a, b) -> a));
    }

    private static String id(String line) {
        return group(ID, line, Function.identity());
    }

    private static Double predOpen(String line) {
        return group(PRED_OPEN, line, Double::valueOf);
    }

    private static <T> T group(Pattern pattern, String line, Function<String, T> as) {
        Matcher m = pattern.matcher(line);
        assertThat(m.find()).as("%s in the line %s", pattern, line).isTrue();
        return as.apply(m.group(1));
    }
}

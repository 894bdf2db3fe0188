package io.pricecast.ingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.runtime.LogContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own logging configuration ({@code log4j2.xml}) in a JVM of its own: with
 * {@code PRICECAST_LOG_FORMAT=json} every line is one JSON object carrying the logging context (the upload, the
 * Kafka position), without it the lines are text.
 */
class JsonLogsTest {

    private static final String MESSAGE = "json log check";

    @Test
    void jsonLinesCarryTheLevelTheMessageAndTheLoggingContext() throws Exception {
        String line = logLine("json");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("message").asText()).isEqualTo(MESSAGE);
        assertThat(json.path("log.level").asText()).isEqualTo("INFO");
        assertThat(json.has("@timestamp")).isTrue();
        assertThat(field(json, LogContext.UPLOAD_ID)).isEqualTo("0123abcd");
        assertThat(field(json, LogContext.DATASET)).isEqualTo("sample");
        assertThat(field(json, LogContext.TOPIC)).isEqualTo("prices.raw");
        assertThat(field(json, LogContext.OFFSET)).isEqualTo("42");
    }

    @Test
    void withoutTheVariableTheLinesAreText() throws Exception {
        assertThat(logLine(null)).contains(" INFO ").endsWith(" - " + MESSAGE).doesNotStartWith("{");
    }

    /** The MDC's entries, at the root (ECS layout, flattened) or under {@code labels}. */
    private static String field(JsonNode json, String key) {
        return json.has(key)
                ? json.path(key).asText()
                : json.path("labels").path(key).asText();
    }

    private static String logLine(String format) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlog4j2.configurationFile="
                        + Path.of("target", "classes", "log4j2.xml").toAbsolutePath(),
                Main.class.getName()));
        pb.environment().remove("PRICECAST_LOG_FORMAT");
        if (format != null) {
            pb.environment().put("PRICECAST_LOG_FORMAT", format);
        }
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the logging JVM did not end within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines()
                .filter(l -> l.contains(MESSAGE))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with the message in:\n" + out));
    }

    /** Logs one line inside an upload's and a record's context. */
    public static final class Main {
        public static void main(String[] args) {
            Logger log = LoggerFactory.getLogger(JsonLogsTest.class);
            try (LogContext upload = LogContext.upload("0123abcd", "sample");
                    LogContext record = LogContext.record("prices.raw", 0, 42)) {
                log.info(MESSAGE);
            }
        }
    }
}

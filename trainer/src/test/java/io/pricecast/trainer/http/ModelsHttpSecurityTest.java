package io.pricecast.trainer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.ModelEvent;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.trainer.TrainingJob;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.schedule.Retraining;
import io.pricecast.trainer.schedule.WeeklySchedule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the models API on a real broker: state-changing requests need the models token (401 without it or
 * with a wrong one, and a refused request changes nothing), reads need the read token when one is configured (the models
 * token works too), bodies are limited, and errors are JSON without exception text or secrets.
 */
@ExtendWith(RealStack.class)
class ModelsHttpSecurityTest {

    private static final String MODELS_TOKEN = "models-token-s3cret";
    private static final String READ_TOKEN = "read-token-s3cret";
    private static final String BODY = "{\"actor\":\"mallory\",\"reason\":\"test\"}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CHANGES = List.of("/models/ds-keras-v1/promote", "/models/rollback", "/train");
    private static final List<String> READS =
            List.of("/models", "/models/audit", "/models/ds-keras-v1", "/train", "/metrics");

    @TempDir
    Path dir;

    @Test
    void stateChangingRequestsNeedTheTokenReadsTheReadTokenAndErrorsStayClean(StackEndpoints stack) throws Exception {
        String models = stack.createTopic(
                "models-security", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        HttpGuard guard =
                HttpGuard.fromEnvironment(Map.of(HttpGuard.READ_TOKEN, READ_TOKEN, HttpGuard.MAX_BODY_KB, "1"));
        try (ModelRegistry registry = new ModelRegistry(
                        stack.kafkaBootstrap(),
                        models,
                        stack.serdes().serde(ModelEvent.class, false),
                        Clock.systemUTC());
                Retraining retraining = new Retraining(
                        WeeklySchedule.parse("off"),
                        Map.of(),
                        "security",
                        TrainingJob.Promotion.NEVER,
                        dir,
                        Clock.systemUTC());
                ModelsHttp http = new ModelsHttp(
                        registry,
                        new TokenCheck(Optional.empty(), Optional.of(MODELS_TOKEN)),
                        retraining,
                        guard,
                        ServiceMetrics.forService("models"))) {
            String base = "http://127.0.0.1:" + http.start(0);

            for (String path : CHANGES) {
                HttpResponse<String> none = send("POST", base + path, null, BODY);
                assertThat(none.statusCode()).as(path + " without a token").isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertClean(path, none);
                HttpResponse<String> wrong = send("POST", base + path, "not-the-token", BODY);
                assertThat(wrong.statusCode()).as(path + " with a wrong token").isEqualTo(401);
                assertClean(path, wrong);
                assertThat(send("POST", base + path, READ_TOKEN, BODY).statusCode())
                        .as(path + ": the read token cannot change")
                        .isEqualTo(401);
            }
            assertThat(send("GET", base + "/models/audit", MODELS_TOKEN, null).body())
                    .as("refused requests change nothing")
                    .doesNotContain("mallory");

            assertThat(send("GET", base + "/health", null, null).statusCode()).isEqualTo(200);
            assertThat(send("GET", base + "/health/live", null, null).statusCode())
                    .isEqualTo(200);
            assertThat(send("GET", base + "/openapi.json", null, null).statusCode())
                    .isEqualTo(200);
            assertThat(http.openApi().routes()).isEqualTo(http.openApi().documented());
            assertThat(send("GET", base + "/health/ready", null, null).statusCode())
                    .isEqualTo(200);
            for (String path : READS) {
                assertThat(send("GET", base + path, null, null).statusCode())
                        .as(path + " without a token")
                        .isEqualTo(401);
                assertThat(send("GET", base + path, READ_TOKEN, null).statusCode())
                        .as(path + " with the read token")
                        .isEqualTo(200);
                assertThat(send("GET", base + path, MODELS_TOKEN, null).statusCode())
                        .as(path + " with the models token")
                        .isEqualTo(200);
            }

            HttpResponse<String> large = send(
                    "POST",
                    base + "/models/rollback",
                    MODELS_TOKEN,
                    "{\"actor\":\"alice\",\"reason\":\"" + "x".repeat(2000) + "\"}");
            assertThat(large.statusCode()).isEqualTo(413);
            assertClean("large body", large);
            HttpResponse<String> malformed =
                    send("POST", base + "/models/rollback", MODELS_TOKEN, "{\"actor\": \"alice\", ");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("not JSON");
            assertClean("malformed body", malformed);
            HttpResponse<String> notObject = send("POST", base + "/train", MODELS_TOKEN, "[1,2]");
            assertThat(notObject.statusCode()).isEqualTo(400);
            assertClean("array body", notObject);
            HttpResponse<String> noActor = send("POST", base + "/models/ds-keras-v1/promote", MODELS_TOKEN, "{}");
            assertThat(noActor.statusCode()).isEqualTo(400);
            assertClean("no actor", noActor);
            HttpResponse<String> unknown = send("POST", base + "/models/no-such-version/promote", MODELS_TOKEN, BODY);
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("unknown model version no-such-version");
            assertClean("unknown version", unknown);
            HttpResponse<String> delete = send("DELETE", base + "/models/ds-keras-v1", MODELS_TOKEN, null);
            assertThat(delete.statusCode())
                    .as("versions cannot be deleted over HTTP")
                    .isEqualTo(404);
            assertClean("delete", delete);
        }
    }

    private static void assertClean(String what, HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .contains("json");
        assertThat(response.body())
                .as(what + ": " + response.body())
                .doesNotContain(
                        "Exception",
                        "at io.",
                        "at com.",
                        "at org.",
                        "Source:",
                        MODELS_TOKEN,
                        READ_TOKEN,
                        "not-the-token");
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

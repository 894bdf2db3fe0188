package io.pricecast.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.testing.CommittedRecords;
import io.pricecast.testing.StackEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the ingest tests share: settings for the test stack, an HTTP client, topic readers. */
public final class IngestTestKit {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private IngestTestKit() {}

    /** Topics of one test. */
    public record TestTopics(String raw, String clean, String rejected) {
        public static TestTopics create(StackEndpoints stack, String prefix, int partitions) {
            return new TestTopics(
                    stack.createTopic(prefix + "-raw", partitions, Map.of()),
                    stack.createTopic(prefix + "-clean", partitions, Map.of()),
                    stack.createTopic(prefix + "-rejected", partitions, Map.of()));
        }
    }

    public static ServiceSettings settings(StackEndpoints stack, String keyspace, Path stateDir, int port) {
        return new ServiceSettings(
                stack.kafkaBootstrap(),
                stack.registryUrl(),
                stack.cassandra(),
                stack.localDatacenter(),
                keyspace,
                port,
                stateDir,
                Map.of());
    }

    /** Environment for a service started as a separate process against the test stack. */
    public static Map<String, String> environment(
            StackEndpoints stack, String keyspace, Path stateDir, int port, TestTopics topics) {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", stack.kafkaBootstrap());
        env.put("PRICECAST_REGISTRY_URL", stack.registryUrl());
        env.put(
                "PRICECAST_CASSANDRA_CONTACT",
                stack.cassandra().getHostString() + ":" + stack.cassandra().getPort());
        env.put("PRICECAST_CASSANDRA_DC", stack.localDatacenter());
        env.put("PRICECAST_KEYSPACE", keyspace);
        env.put("PRICECAST_STATE_DIR", stateDir.toString());
        env.put("PRICECAST_INGEST_PORT", Integer.toString(port));
        env.put("PRICECAST_INGEST_RAW_TOPIC", topics.raw());
        env.put("PRICECAST_INGEST_CLEAN_TOPIC", topics.clean());
        env.put("PRICECAST_INGEST_REJECTED_TOPIC", topics.rejected());
        return env;
    }

    public static HttpResponse<String> post(String url, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "text/csv")
                .POST(body)
                .build());
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    /**
     * @param base the service's base URL
     * @return its {@code /metrics}, parsed (Prometheus text format, checked by its content type)
     */
    public static PrometheusText metrics(String base) {
        HttpResponse<String> r = get(base + "/metrics");
        if (r.statusCode() != 200
                || !r.headers().firstValue("Content-Type").orElse("").equals(ServiceMetrics.CONTENT_TYPE)) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.headers() + "\n" + r.body());
        }
        return PrometheusText.parse(r.body());
    }

    /**
     * @param base   the service's base URL
     * @param intake {@code upload} or {@code console}
     * @param outcome {@code accepted}, {@code duplicate} or {@code rejected}
     * @return ingest's count of records of that intake and outcome, from {@code /metrics}
     */
    public static long records(String base, String intake, String outcome) {
        return (long) metrics(base).sum(IngestMeters.RECORDS_SAMPLE, "intake", intake, "outcome", outcome);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Calls {@code each} for every committed record of a topic, without keeping them. */
    public static <V> long forEachCommitted(
            StackEndpoints stack,
            String topic,
            Deserializer<V> values,
            java.util.function.Consumer<ConsumerRecord<String, V>> each) {
        return CommittedRecords.forEach(
                stack.kafkaProperties(), topic, new StringDeserializer(), values, READ_TIMEOUT, each);
    }

    /** Every committed record of a topic, from the beginning up to its last stable offset. */
    public static <V> List<ConsumerRecord<String, V>> readCommitted(
            StackEndpoints stack, String topic, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        forEachCommitted(stack, topic, values, out::add);
        return out;
    }

    /** End offsets (including transaction markers): unchanged when nothing at all was written. */
    public static Map<TopicPartition, Long> endOffsets(StackEndpoints stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                stack.kafkaProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toSet());
            return consumer.endOffsets(partitions);
        }
    }
}

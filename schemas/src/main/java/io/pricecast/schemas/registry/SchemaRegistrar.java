package io.pricecast.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.schemas.Contracts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers the contracts' schemas in a schema registry through the Confluent-compatible REST API
 * (served by Apicurio Registry at {@code /apis/ccompat/v7}), under the record's subject and the topic's
 * ({@code <topic>-value}), with a BACKWARD compatibility rule per subject. Idempotent: registering an identical
 * schema returns its existing id. Services never auto-register; this is the one place schemas enter the registry.
 */
public final class SchemaRegistrar {

    /** The Confluent-compatible API below an Apicurio Registry base URL. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI ccompat;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param registryBaseUrl e.g. {@code http://127.0.0.1:8081}
     */
    public SchemaRegistrar(String registryBaseUrl) {
        this.ccompat = URI.create(registryBaseUrl.replaceAll("/+$", "") + CCOMPAT_PATH + "/");
    }

    /**
     * Registers every contract under both of its subjects, with BACKWARD compatibility on each: the record's own
     * subject, through which the services' serdes find the schema for any topic that carries it, and the topic's
     * subject, {@code <topic>-value} (the default {@code TopicNameStrategy}), where Kafka Connect, ksqlDB and Flink
     * look a topic's value schema up. A topic subject that does not exist yet (a registry of the earlier releases,
     * which registered record subjects only) first gets every version of the record subject, oldest first, so its
     * history is the contract's: both subjects give the same content ids, the ids the records on the topics carry.
     *
     * @return subject → schema id (the 4-byte id of the wire format)
     * @throws SchemaRegistrationException naming the subject and the registry's answer when refused
     */
    public Map<String, Integer> registerAll() {
        return registerAll(Contracts.ALL);
    }

    /**
     * {@link #registerAll()} for these contracts.
     *
     * @param contracts topics and their value schemas
     * @return subject → schema id
     */
    public Map<String, Integer> registerAll(List<Contracts.Contract> contracts) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Contracts.Contract c : contracts) {
            String schema = c.schema().toString();
            // a record carried by several topics (prices.clean and prices.accepted) is one record subject
            if (!ids.containsKey(c.subject())) {
                ids.put(c.subject(), register(c.subject(), schema));
                requireBackward(c.subject());
            }
            migrate(c.subject(), c.topicSubject());
            ids.put(c.topicSubject(), register(c.topicSubject(), schema));
            requireBackward(c.topicSubject());
        }
        return ids;
    }

    /**
     * Gives a subject that has no version yet every version of another, oldest first.
     *
     * @param from the subject whose history is copied
     * @param to   the subject that receives it, when it has no version
     * @return how many versions were copied (0 when {@code to} had versions already)
     */
    public int migrate(String from, String to) {
        if (!versions(to).isEmpty()) {
            return 0;
        }
        List<Integer> history = versions(from);
        for (int version : history) {
            register(
                    to,
                    send("GET", "subjects/" + from + "/versions/" + version, null)
                            .path("schema")
                            .asText());
        }
        return history.size();
    }

    /**
     * @param subject a subject
     * @return its version numbers, oldest first; none when the registry does not know it
     */
    public List<Integer> versions(String subject) {
        JsonNode answer = send("GET", "subjects/" + subject + "/versions", null, true);
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /**
     * Sets BACKWARD compatibility on a subject: a reader of a new version must read the data of the latest one, so
     * the registry refuses, for example, a field added without a default.
     *
     * @param subject a subject
     */
    public void requireBackward(String subject) {
        send("PUT", "config/" + subject, "{\"compatibility\":\"BACKWARD\"}");
    }

    /**
     * @param subject a subject
     * @param schema  Avro schema JSON
     * @return the schema's id
     */
    public int register(String subject, String schema) {
        String body = json.createObjectNode().put("schema", schema).toString();
        JsonNode answer = send("POST", "subjects/" + subject + "/versions", body);
        return answer.path("id").asInt();
    }

    /**
     * @param subject a subject
     * @return its compatibility level as the registry reports it
     */
    public String compatibility(String subject) {
        return send("GET", "config/" + subject, null).path("compatibilityLevel").asText();
    }

    private JsonNode send(String method, String path, String body) {
        return send(method, path, body, false);
    }

    /** @param absentIsEmpty answer an empty node to a 404 (an unknown subject) instead of failing */
    private JsonNode send(String method, String path, String body, boolean absentIsEmpty) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ccompat.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE);
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (absentIsEmpty && response.statusCode() == 404) {
                return json.createArrayNode();
            }
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistrationException(method + " " + ccompat.resolve(path) + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistrationException(
                    "schema registry at " + ccompat + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistrationException("interrupted talking to the schema registry", e);
        }
    }

    /** The registry refused a schema or could not be reached. */
    public static final class SchemaRegistrationException extends RuntimeException {
        SchemaRegistrationException(String message) {
            super(message);
        }

        SchemaRegistrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

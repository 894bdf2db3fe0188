package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.schemas.Contracts;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.registry.SchemaRegistrar;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Avro in the Confluent wire format through the real schema registry. */
@ExtendWith(RealStack.class)
class AvroWireFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsAreConfluentWireFormatWithTheIdOfTheCompatibleApiAndRoundTrip(StackEndpoints stack) throws Exception {
        PriceRecord record = sample();
        String topic = UniqueNames.topic("wire");

        try (Serde<PriceRecord> serde = stack.serdes().serde(PriceRecord.class, false)) {
            byte[] bytes = serde.serializer().serialize(topic, record);

            ByteBuffer wire = ByteBuffer.wrap(bytes);
            assertThat(wire.get()).as("magic byte").isEqualTo((byte) 0);
            int schemaId = wire.getInt();
            assertThat(schemaId)
                    .isEqualTo(ccompatIdOf(stack, PriceRecord.getClassSchema().getFullName()));

            assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(record);
        }
    }

    /**
     * A real evolution of a contract on the real registry, in a subject of its own so that no other test sees it:
     * PriceRecord as it is (v1), then a v2 that adds an optional field, are both registered (two versions, two ids);
     * a v3 that adds a field without a default is refused and the subject keeps its two versions. Data written with
     * v1 reads under v2 with the new field at its default and every other field unchanged.
     */
    @Test
    void aCompatibleV2IsRegisteredBesideV1AndAnIncompatibleV3IsRefused(StackEndpoints stack) throws Exception {
        String subject = UniqueNames.topic("evolution") + "-value";
        SchemaRegistrar registrar = new SchemaRegistrar(stack.registryUrl());
        HttpClient http = HttpClient.newHttpClient();
        Schema v1 = PriceRecord.getClassSchema();
        Schema v2 = new Schema.Parser()
                .parse(withField(v1, "{\"name\":\"exchange\",\"type\":[\"null\",\"string\"],\"default\":null}"));
        String v3 = withField(v2, "{\"name\":\"required_in_test\",\"type\":\"long\"}");

        int id1 = registrar.register(subject, v1.toString());
        registrar.requireBackward(subject);
        int id2 = registrar.register(subject, v2.toString());
        assertThat(id2).isNotEqualTo(id1);
        assertThat(versions(http, stack, subject)).containsExactly(1, 2);

        HttpResponse<String> refused = post(http, stack, "/subjects/" + subject + "/versions", v3);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(versions(http, stack, subject)).containsExactly(1, 2);

        PriceRecord written = sample();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PriceRecord.class).write(written, encoder);
        encoder.flush();
        GenericRecord asV1 = new GenericDatumReader<GenericRecord>(v1)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        GenericRecord asV2 = new GenericDatumReader<GenericRecord>(v1, v2)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(asV2.get("exchange")).isNull();
        assertThat(asV2.get("symbol")).hasToString("BTC");
        for (Schema.Field f : v1.getFields()) {
            assertThat(GenericData.get().compare(asV2.get(f.name()), asV1.get(f.name()), f.schema()))
                    .as(f.name())
                    .isZero();
        }
    }

    private static List<Integer> versions(HttpClient http, StackEndpoints stack, String subject) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl() + SchemaRegistrar.CCOMPAT_PATH + "/subjects/"
                                + subject + "/versions"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Integer> out = new java.util.ArrayList<>();
        JSON.readTree(r.body()).forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static PriceRecord sample() {
        return PriceRecord.newBuilder()
                .setDataset("live")
                .setSymbol("BTC")
                .setSlug("bitcoin")
                .setName("Bitcoin")
                .setDate(LocalDate.of(2018, 1, 2))
                .setOpen(13625.0)
                .setHigh(15444.6)
                .setLow(13163.6)
                .setClose(14982.1)
                .setVolume(16846600192.0)
                .setMarket(228775000000.0)
                .setSource(RecordSource.CONSOLE)
                .setRawTopic("prices.raw")
                .setRawPartition(0)
                .setRawOffset(42L)
                .setIngestVersion("test")
                .setReceivedAt(Instant.parse("2018-01-03T00:00:00Z"))
                .build();
    }

    @Test
    void everyContractIsRegisteredWithBackwardCompatibility(StackEndpoints stack) {
        SchemaRegistrar registrar = new SchemaRegistrar(stack.registryUrl());
        Map<String, Integer> ids = registrar.registerAll();
        assertThat(ids)
                .hasSize((int) Contracts.ALL.stream()
                                .map(Contracts.Contract::subject)
                                .distinct()
                                .count()
                        + Contracts.ALL.size())
                .allSatisfy((subject, id) -> assertThat(id).isPositive());
        for (Contracts.Contract c : Contracts.ALL) {
            assertThat(registrar.compatibility(c.subject())).isEqualTo("BACKWARD");
            // the topic's subject, TopicNameStrategy's <topic>-value, is the same contract under the same id
            assertThat(registrar.compatibility(c.topicSubject())).isEqualTo("BACKWARD");
            assertThat(ids.get(c.topicSubject())).as(c.topicSubject()).isEqualTo(ids.get(c.subject()));
        }
        assertThat(ids)
                .containsKeys("prices.clean-value", "prices.accepted-value", "predictions-value", "models-value");
        // registering again is idempotent: same ids
        assertThat(registrar.registerAll()).isEqualTo(ids);
    }

    /**
     * The BACKWARD rule on the real registry, for every contract (Accuracy and UploadVerdicts among them): a next
     * version that adds an optional field passes the registry's check, and one that adds a field without a default
     * (which a new reader cannot fill from old data) fails it and is refused when registered.
     */
    @Test
    void theRegistryRefusesAnIncompatibleNextVersionOfEveryContract(StackEndpoints stack) throws Exception {
        new SchemaRegistrar(stack.registryUrl()).registerAll();
        HttpClient http = HttpClient.newHttpClient();
        for (String subject : Contracts.ALL.stream()
                .map(Contracts.Contract::subject)
                .distinct()
                .toList()) {
            Schema current = Contracts.ALL.stream()
                    .filter(c -> c.subject().equals(subject))
                    .findFirst()
                    .orElseThrow()
                    .schema();
            String compatible =
                    withField(current, "{\"name\":\"added_in_test\",\"type\":[\"null\",\"string\"],\"default\":null}");
            String incompatible = withField(current, "{\"name\":\"required_in_test\",\"type\":\"long\"}");

            assertThat(isCompatible(http, stack, subject, compatible))
                    .as(subject + " plus an optional field")
                    .isTrue();
            assertThat(isCompatible(http, stack, subject, incompatible))
                    .as(subject + " plus a required field")
                    .isFalse();
            HttpResponse<String> refused = post(http, stack, "/subjects/" + subject + "/versions", incompatible);
            assertThat(refused.statusCode()).as(subject + ": " + refused.body()).isEqualTo(409);
        }
    }

    private static String withField(Schema schema, String fieldJson) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) node.get("fields")).add(JSON.readTree(fieldJson));
        return node.toString();
    }

    private static boolean isCompatible(HttpClient http, StackEndpoints stack, String subject, String schema)
            throws Exception {
        HttpResponse<String> r = post(http, stack, "/compatibility/subjects/" + subject + "/versions/latest", schema);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("is_compatible").asBoolean();
    }

    private static HttpResponse<String> post(HttpClient http, StackEndpoints stack, String path, String schema)
            throws Exception {
        String body = JSON.createObjectNode().put("schema", schema).toString();
        return http.send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl() + SchemaRegistrar.CCOMPAT_PATH + path))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A registry of the earlier releases held the record's subject only. Registering the next version of the contract
     * gives its topic the subject {@code <topic>-value} with the record subject's whole history, oldest first, under
     * the same ids: the id a record written with the first version carries still names that version, through either
     * subject. Registering again changes nothing.
     */
    @Test
    void aTopicSubjectMissingFromAnEarlierRegistryGetsTheRecordSubjectsHistoryUnderTheSameIds(StackEndpoints stack)
            throws Exception {
        String topic = UniqueNames.topic("migrated");
        String record = "Evolving" + topic.replaceAll("[^A-Za-z0-9]", "");
        Schema v1 = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"" + record + "\",\"namespace\":\"test.migration\","
                        + "\"fields\":[{\"name\":\"symbol\",\"type\":\"string\"}]}");
        Schema v2 = new Schema.Parser()
                .parse(withField(v1, "{\"name\":\"exchange\",\"type\":[\"null\",\"string\"],\"default\":null}"));
        SchemaRegistrar registrar = new SchemaRegistrar(stack.registryUrl());
        int id1 = registrar.register(v1.getFullName(), v1.toString());
        registrar.requireBackward(v1.getFullName());
        Contracts.Contract next = new Contracts.Contract(new Topics.Topic(topic, false, true, true), v2);
        assertThat(registrar.versions(next.topicSubject())).isEmpty();

        Map<String, Integer> ids = registrar.registerAll(List.of(next));

        assertThat(registrar.versions(next.topicSubject())).containsExactly(1, 2);
        assertThat(registrar.versions(v1.getFullName())).containsExactly(1, 2);
        assertThat(ids.get(next.topicSubject()))
                .isEqualTo(ids.get(v1.getFullName()))
                .isNotEqualTo(id1);
        JsonNode first = JSON.readTree(get(stack, "/subjects/" + next.topicSubject() + "/versions/1"));
        assertThat(first.path("id").asInt()).isEqualTo(id1);
        assertThat(new Schema.Parser().parse(first.path("schema").asText())).isEqualTo(v1);
        assertThat(new Schema.Parser()
                        .parse(JSON.readTree(get(stack, "/schemas/ids/" + id1))
                                .path("schema")
                                .asText()))
                .as("what a record written with v1 names")
                .isEqualTo(v1);
        assertThat(registrar.compatibility(next.topicSubject())).isEqualTo("BACKWARD");

        assertThat(registrar.registerAll(List.of(next))).isEqualTo(ids);
        assertThat(registrar.versions(next.topicSubject())).containsExactly(1, 2);
        assertThat(registrar.migrate(v1.getFullName(), next.topicSubject())).isZero();
    }

    private static String get(StackEndpoints stack, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.registryUrl() + SchemaRegistrar.CCOMPAT_PATH + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static int ccompatIdOf(StackEndpoints stack, String subject) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/apis/ccompat/v7/subjects/" + subject
                                        + "/versions/latest"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body())
                .path("id")
                .asInt();
    }
}

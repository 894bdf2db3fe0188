package io.pricecast.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.avro.InputRef;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.testing.SaslKafkaBroker;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One isolated sink under test: its own topics, keyspace and consumer groups on a real stack, and the
 * means to feed it and look at what it stored.
 *
 * @param bootstrap        Kafka bootstrap
 * @param registryUrl      registry URL
 * @param cassandraContact host:port
 * @param keyspace         its keyspace (exists)
 * @param predictions      its predictions topic
 * @param prices           its (accepted) prices topic
 * @param accuracy         its accuracy topic
 * @param verdicts         its upload verdicts topic
 * @param rejected         its rejected / dead-letter topic
 * @param group            its consumer-group prefix
 * @param kafkaLogin       the services' Kafka login variables ({@code PRICECAST_KAFKA_SASL_*}), empty for PLAINTEXT
 */
record SinkTestKit(
        String bootstrap,
        String registryUrl,
        String cassandraContact,
        String keyspace,
        String predictions,
        String prices,
        String accuracy,
        String verdicts,
        String rejected,
        String group,
        Map<String, String> kafkaLogin) {

    static final int PARTITIONS = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** @return a kit with fresh topics, keyspace and group on the run's shared stack */
    static SinkTestKit on(StackEndpoints stack, String name) {
        return new SinkTestKit(
                stack.kafkaBootstrap(),
                stack.registryUrl(),
                stack.cassandra().getHostString() + ":" + stack.cassandra().getPort(),
                stack.createKeyspace(name),
                stack.createTopic(name + ".predictions", PARTITIONS, Map.of()),
                stack.createTopic(name + ".prices", PARTITIONS, Map.of()),
                stack.createTopic(name + ".accuracy", PARTITIONS, Map.of()),
                stack.createTopic(name + ".verdicts", PARTITIONS, Map.of()),
                stack.createTopic(name + ".rejected", PARTITIONS, Map.of()),
                UniqueNames.topic(name + "-group"),
                Map.of());
    }

    /**
     * @return a kit whose topics are on a SASL broker, which the sink and the kit's producers log in to as
     *     {@code user}; the registry and Cassandra are the run's shared stack's
     */
    static SinkTestKit onSasl(StackEndpoints stack, String name, SaslKafkaBroker kafka, String user, String password) {
        return new SinkTestKit(
                kafka.bootstrap(),
                stack.registryUrl(),
                stack.cassandra().getHostString() + ":" + stack.cassandra().getPort(),
                stack.createKeyspace(name),
                kafka.createTopic(name + ".predictions", PARTITIONS),
                kafka.createTopic(name + ".prices", PARTITIONS),
                kafka.createTopic(name + ".accuracy", PARTITIONS),
                kafka.createTopic(name + ".verdicts", PARTITIONS),
                kafka.createTopic(name + ".rejected", PARTITIONS),
                UniqueNames.topic(name + "-group"),
                kafka.serviceEnvironment(user, password));
    }

    /** @return the environment a sink process of this kit runs with (HTTP on any free port) */
    Map<String, String> environment() {
        return environment(0);
    }

    Map<String, String> environment(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", bootstrap);
        env.put("PRICECAST_REGISTRY_URL", registryUrl);
        env.put("PRICECAST_CASSANDRA_CONTACT", cassandraContact);
        env.put("PRICECAST_KEYSPACE", keyspace);
        env.put("PRICECAST_SINK_PORT", Integer.toString(port));
        env.put("PRICECAST_SINK_PREDICTIONS_TOPIC", predictions);
        env.put("PRICECAST_SINK_PRICES_TOPIC", prices);
        env.put("PRICECAST_SINK_ACCURACY_TOPIC", accuracy);
        env.put("PRICECAST_SINK_VERDICTS_TOPIC", verdicts);
        env.put("PRICECAST_SINK_REJECTED_TOPIC", rejected);
        env.put("PRICECAST_SINK_GROUP", group);
        env.put("PRICECAST_SINK_RETRY_BACKOFF_MAX_MS", "1000");
        env.putAll(kafkaLogin);
        return env;
    }

    /** @return a running in-process sink */
    SinkService startSink() {
        return SinkService.start(SinkSettings.fromEnvironment(environment()));
    }

    AvroSerdes serdes() {
        return new AvroSerdes(AvroSerdes.Kind.APICURIO, registryUrl);
    }

    /** @return a session with the services' driver configuration (its fast reconnection after an outage too) */
    CqlSession session() {
        int colon = cassandraContact.lastIndexOf(':');
        return CqlSession.builder()
                .withConfigLoader(CqlSessions.driverConfig())
                .addContactPoint(new java.net.InetSocketAddress(
                        cassandraContact.substring(0, colon), Integer.parseInt(cassandraContact.substring(colon + 1))))
                .withLocalDatacenter("datacenter1")
                .build();
    }

    /**
     * Publishes records keyed {@code dataset|symbol} and waits for every acknowledgement.
     *
     * @return where each landed, in order
     */
    <V extends SpecificRecord> List<InputRef> produce(
            String topic, List<V> records, Function<V, String> key, Function<V, java.time.LocalDate> date) {
        @SuppressWarnings("unchecked")
        Class<V> type = (Class<V>) records.get(0).getClass();
        Properties p = clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                p, new StringSerializer(), serdes().serde(type, false).serializer())) {
            for (V r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, key.apply(r), r)));
            }
            producer.flush();
            List<InputRef> refs = new ArrayList<>(records.size());
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                refs.add(new InputRef(date.apply(records.get(i)), m.topic(), m.partition(), m.offset()));
            }
            return refs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("produce failed", e);
        }
    }

    /** Publishes raw bytes (a poison record). */
    RecordMetadata produceBytes(String topic, String key, byte[] value) throws Exception {
        Properties p = clientProperties();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** @return Kafka client properties of this kit: its bootstrap and, on a SASL broker, the login */
    Properties clientProperties() {
        return KafkaAccess.fromEnvironment(bootstrap, kafkaLogin).properties();
    }

    static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long count(CqlSession session, String table, String where, Object... values) {
        return session.execute(
                        "SELECT count(*) FROM " + keyspace + "." + table + (where.isEmpty() ? "" : " WHERE " + where),
                        values)
                .one()
                .getLong(0);
    }
}

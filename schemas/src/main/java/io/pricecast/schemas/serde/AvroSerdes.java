package io.pricecast.schemas.serde;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place Avro serdes are made. Values are Avro in the Confluent wire format (magic byte 0,
 * 4-byte schema id, Avro binary) resolved against a real schema registry.
 *
 * <p>The default implementation is Apicurio's serde against Apicurio Registry, configured so that
 * the 4-byte id is the registry's content id, which equals the id of its Confluent-compatible API:
 * Confluent's own serializer and console tools read our topics. {@code PRICECAST_SERDE=confluent}
 * switches to Confluent's classes (when they are on the classpath) against
 * {@code <registry>/apis/ccompat/v7}. Schemas are registered by the schema registrar, never by clients.
 */
public final class AvroSerdes {

    static final String APICURIO_SERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaSerializer";
    static final String APICURIO_DESERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaDeserializer";
    static final String CONFLUENT_SERIALIZER = "io.confluent.kafka.serializers.KafkaAvroSerializer";
    static final String CONFLUENT_DESERIALIZER = "io.confluent.kafka.serializers.KafkaAvroDeserializer";
    /** Apicurio's setting naming the class that makes its Avro datum writers and readers. */
    static final String APICURIO_DATUM_PROVIDER = "apicurio.registry.avro-datum-provider";

    private final Kind kind;
    private final String registryBaseUrl;
    /** Apicurio's datum provider class, or null for Apicurio's default. */
    private final String datumProvider;

    /** Which serde implementation. */
    public enum Kind {
        APICURIO,
        CONFLUENT
    }

    /**
     * @param kind            implementation
     * @param registryBaseUrl registry base URL, e.g. {@code http://127.0.0.1:8081}
     */
    public AvroSerdes(Kind kind, String registryBaseUrl) {
        this(kind, registryBaseUrl.replaceAll("/+$", ""), null);
    }

    private AvroSerdes(Kind kind, String registryBaseUrl, String datumProvider) {
        this.kind = kind;
        this.registryBaseUrl = registryBaseUrl;
        this.datumProvider = datumProvider;
    }

    /**
     * This factory with Apicurio's datum provider (what makes its Avro writers and readers) replaced, e.g. by one
     * that caches them cheaper than the default. Confluent's serdes have no such setting: for them the factory
     * is unchanged.
     *
     * @param className a subclass of Apicurio's {@code DefaultAvroDatumProvider}
     * @return the factory with it
     */
    public AvroSerdes withDatumProvider(String className) {
        return new AvroSerdes(kind, registryBaseUrl, className);
    }

    /**
     * @param env environment: {@code PRICECAST_REGISTRY_URL} (default http://127.0.0.1:8081), {@code PRICECAST_SERDE}
     * @return the factory configured from it
     */
    public static AvroSerdes fromEnvironment(Map<String, String> env) {
        String url = env.getOrDefault("PRICECAST_REGISTRY_URL", "http://127.0.0.1:8081");
        String kind = env.getOrDefault("PRICECAST_SERDE", "apicurio").toUpperCase(Locale.ROOT);
        try {
            return new AvroSerdes(Kind.valueOf(kind), url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "PRICECAST_SERDE=" + kind.toLowerCase(Locale.ROOT) + " (expected apicurio or confluent)", e);
        }
    }

    /** @return the registry base URL */
    public String registryBaseUrl() {
        return registryBaseUrl;
    }

    /**
     * Client properties for a producer's or consumer's value serde, e.g. for a plain
     * {@code KafkaProducer} or Kafka's console tools.
     *
     * @param type  the generated record class the serde reads and writes
     * @param isKey whether for keys
     * @return serde configuration
     */
    public Map<String, Object> configs(Class<? extends SpecificRecord> type, boolean isKey) {
        String subject = type.getName();
        Map<String, Object> c = new HashMap<>();
        switch (kind) {
            case APICURIO -> {
                c.put("apicurio.registry.url", registryBaseUrl + "/apis/registry/v3");
                c.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
                c.put("apicurio.registry.use-id", "contentId");
                c.put("apicurio.registry.auto-register", "false");
                c.put("apicurio.registry.find-latest", "true");
                // the subject registered through the Confluent-compatible API lives in the default group
                c.put("apicurio.registry.artifact.group-id", "default");
                c.put("apicurio.registry.artifact.artifact-id", subject);
                c.put("apicurio.registry.use-specific-avro-reader", "true");
                if (datumProvider != null) {
                    c.put(APICURIO_DATUM_PROVIDER, datumProvider);
                }
            }
            case CONFLUENT -> {
                c.put("schema.registry.url", registryBaseUrl + "/apis/ccompat/v7");
                c.put("auto.register.schemas", "false");
                c.put("use.latest.version", "true");
                c.put(
                        isKey ? "key.subject.name.strategy" : "value.subject.name.strategy",
                        "io.confluent.kafka.serializers.subject.RecordNameStrategy");
                c.put("specific.avro.reader", "true");
            }
            default -> throw new IllegalStateException("unknown serde kind " + kind);
        }
        c.put("pricecast.serde.is-key", isKey);
        return c;
    }

    /**
     * A configured serde for one generated record type.
     *
     * @param type  the generated class
     * @param isKey whether for keys
     * @param <T>   record type
     * @return the serde
     */
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
        Serializer<T> serializer = instantiate(kind == Kind.APICURIO ? APICURIO_SERIALIZER : CONFLUENT_SERIALIZER);
        Deserializer<T> deserializer =
                instantiate(kind == Kind.APICURIO ? APICURIO_DESERIALIZER : CONFLUENT_DESERIALIZER);
        Map<String, Object> configs = configs(type, isKey);
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * {@link #serde} with its serializer wrapped in {@link SchemaIdCachingSerializer}: the schema id resolved by
     * the first record, later records encoded straight into a reused buffer. Same bytes on the wire.
     *
     * @param type  the generated class
     * @param isKey whether for keys
     * @param <T>   record type
     * @return the serde
     */
    public <T extends SpecificRecord> Serde<T> idCachingSerde(Class<T> type, boolean isKey) {
        Serde<T> serde = serde(type, isKey);
        return Serdes.serdeFrom(new SchemaIdCachingSerializer<>(serde.serializer(), type), serde.deserializer());
    }

    /** @return the serializer class name, for configs that take class names */
    public String serializerClass() {
        return kind == Kind.APICURIO ? APICURIO_SERIALIZER : CONFLUENT_SERIALIZER;
    }

    /** @return the deserializer class name, for configs that take class names */
    public String deserializerClass() {
        return kind == Kind.APICURIO ? APICURIO_DESERIALIZER : CONFLUENT_DESERIALIZER;
    }

    @SuppressWarnings("unchecked")
    private static <S> S instantiate(String className) {
        try {
            return (S) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("serde class " + className + " is not on the classpath", e);
        }
    }
}

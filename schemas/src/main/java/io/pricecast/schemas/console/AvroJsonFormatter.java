package io.pricecast.schemas.console;

import io.pricecast.schemas.serde.AvroSerdes;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A {@link MessageFormatter} for Kafka's console consumer that prints Avro values (Confluent wire
 * format, resolved against the schema registry) as one JSON object per line, with the record's
 * topic, partition, offset and key, so lineage can be read straight off a topic:
 *
 * <pre>{@code
 * ./pricecast kafka-console-consumer --topic predictions --from-beginning \
 *     --formatter io.pricecast.schemas.console.AvroJsonFormatter
 * }</pre>
 *
 * <p>The registry comes from {@code --formatter-property registry.url=...}, else
 * {@code PRICECAST_REGISTRY_URL}, else {@code http://127.0.0.1:8081}. Values that are not Avro in
 * the wire format (e.g. on {@code prices.raw}) are printed as text.
 */
public final class AvroJsonFormatter implements MessageFormatter {

    /** Formatter property naming the registry base URL. */
    public static final String REGISTRY_URL_PROPERTY = "registry.url";

    private static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private Deserializer<Object> deserializer;

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, String> env = new HashMap<>(System.getenv());
        Object url = configs.get(REGISTRY_URL_PROPERTY);
        if (url != null) {
            env.put("PRICECAST_REGISTRY_URL", url.toString());
        }
        AvroSerdes serdes = AvroSerdes.fromEnvironment(env);
        Map<String, Object> serdeConfig =
                new HashMap<>(serdes.configs(org.apache.avro.specific.SpecificRecord.class, false));
        // generic records: the formatter prints whatever schema the id names, no generated class needed
        serdeConfig.remove("apicurio.registry.use-specific-avro-reader");
        serdeConfig.remove("specific.avro.reader");
        deserializer = instantiate(serdes.deserializerClass());
        deserializer.configure(serdeConfig, false);
    }

    @Override
    public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
        if (deserializer == null) {
            configure(Map.of());
        }
        StringBuilder line = new StringBuilder(256);
        line.append("{\"topic\":")
                .append(quote(record.topic()))
                .append(",\"partition\":")
                .append(record.partition())
                .append(",\"offset\":")
                .append(record.offset())
                .append(",\"key\":")
                .append(record.key() == null ? "null" : quote(new String(record.key(), StandardCharsets.UTF_8)))
                .append(",\"value\":")
                .append(value(record))
                .append('}');
        output.println(line);
    }

    private String value(ConsumerRecord<byte[], byte[]> record) {
        byte[] bytes = record.value();
        if (bytes == null) {
            return "null";
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            return quote(new String(bytes, StandardCharsets.UTF_8));
        }
        Object value = deserializer.deserialize(record.topic(), record.headers(), ByteBuffer.wrap(bytes));
        return value instanceof GenericRecord g ? GenericData.get().toString(g) : quote(String.valueOf(value));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Object> instantiate(String className) {
        try {
            return (Deserializer<Object>)
                    Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("deserializer " + className + " is not on the classpath", e);
        }
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}

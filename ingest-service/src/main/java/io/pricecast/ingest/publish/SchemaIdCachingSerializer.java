package io.pricecast.ingest.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes one generated record type in the Confluent wire format (magic byte 0, 4-byte schema id,
 * Avro binary) as fast as plain Avro: the first record goes through the factory's serializer, which
 * resolves the schema id against the registry; its 5-byte header is kept, and every later record is the
 * same header followed by the record's Avro binary. The bytes are identical to the factory serializer's
 * (a test checks it); what is saved is the per-record schema fingerprint Apicurio's serializer computes,
 * which measured as the upload path's largest cost.
 *
 * <p>The id is resolved once per process: a newer schema registered while the service runs is used after
 * a restart. Thread-safe.
 *
 * @param <T> the generated record type
 */
public final class SchemaIdCachingSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Magic byte plus the 4-byte schema id. */
    static final int HEADER_BYTES = 5;
    private static final byte MAGIC_BYTE = 0;
    private static final int INITIAL_BUFFER_BYTES = 256;

    private final Serializer<T> resolver;
    private final SpecificDatumWriter<T> writer;
    private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
    private volatile byte[] header;

    /**
     * @param resolver the factory's serializer, used for the first record
     * @param type     the generated class
     */
    public SchemaIdCachingSerializer(Serializer<T> resolver, Class<T> type) {
        this.resolver = resolver;
        this.writer = new SpecificDatumWriter<>(type);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        byte[] known = header;
        if (known == null) {
            byte[] first = resolver.serialize(topic, data);
            if (first == null || first.length < HEADER_BYTES || first[0] != MAGIC_BYTE) {
                throw new SerializationException("the serde did not write the Confluent wire format for "
                        + data.getSchema().getFullName() + " on " + topic);
            }
            header = Arrays.copyOf(first, HEADER_BYTES);
            return first;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        out.write(known, 0, HEADER_BYTES);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, encoders.get());
        encoders.set(encoder);
        try {
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + data.getSchema().getFullName() + " for " + topic, e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        resolver.close();
    }
}

package io.pricecast.schemas.serde;

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
 * which measured as the upload path's largest cost, and its output stream's growth from a small buffer, a fifth
 * of the cost of encoding a prediction.
 *
 * <p>The id is resolved once per process: a newer schema registered while the service runs is used after
 * a restart. Thread-safe.
 *
 * @param <T> the generated record type
 */
public final class SchemaIdCachingSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Magic byte plus the 4-byte schema id. */
    public static final int HEADER_BYTES = 5;

    private static final byte MAGIC_BYTE = 0;
    private static final int INITIAL_BUFFER_BYTES = 1024;

    private final Serializer<T> resolver;
    private final SpecificDatumWriter<T> writer;
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);
    private volatile byte[] header;

    /**
     * A thread's output buffer and encoder, reused from record to record: the buffer grows to the largest record
     * once instead of doubling its way up for every record, and the buffered encoder writes into it in bulk.
     */
    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        private BinaryEncoder encoder;
    }

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
        Buffer buffer = buffers.get();
        buffer.out.reset();
        buffer.out.write(known, 0, HEADER_BYTES);
        buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
        try {
            writer.write(data, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + data.getSchema().getFullName() + " for " + topic, e);
        }
        return buffer.out.toByteArray();
    }

    @Override
    public void close() {
        resolver.close();
    }
}

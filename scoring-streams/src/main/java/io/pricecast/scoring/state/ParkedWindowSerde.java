package io.pricecast.scoring.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link ParkedWindow} in the pending store and its changelog. Internal to the application: no
 * registry involved. Every length is an int; a null byte string has length -1.
 *
 * <p>Format 2: the format byte, key (UTF-8), timestamp, header count then each header's key (UTF-8) and value,
 * the input value bytes, the series window in {@link SeriesWindowSerde}'s form, model version and model sha256
 * (UTF-8). (Format 1, the Avro-encoded draft, is no longer read: no build since format 2 writes it.)
 */
public final class ParkedWindowSerde {

    static final byte FORMAT = 2;

    static byte[] serialize(String topic, ParkedWindow parked) {
        if (parked == null) {
            return null;
        }
        byte[] key = utf8(parked.key());
        byte[] series = SeriesWindowSerde.serialize(topic, parked.series());
        byte[] version = utf8(parked.modelVersion());
        byte[] sha256 = utf8(parked.modelSha256());
        Header[] headers = parked.headers().toArray();
        byte[][] headerKeys = new byte[headers.length][];
        int size = 1 + Integer.BYTES + key.length + Long.BYTES + Integer.BYTES;
        for (int i = 0; i < headers.length; i++) {
            headerKeys[i] = utf8(headers[i].key());
            size += 2 * Integer.BYTES
                    + headerKeys[i].length
                    + (headers[i].value() == null ? 0 : headers[i].value().length);
        }
        size += 4 * Integer.BYTES + parked.value().length + series.length + version.length + sha256.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT);
        bytes(b, key);
        b.putLong(parked.timestamp());
        b.putInt(headers.length);
        for (int i = 0; i < headers.length; i++) {
            bytes(b, headerKeys[i]);
            bytes(b, headers[i].value());
        }
        bytes(b, parked.value());
        bytes(b, series);
        bytes(b, version);
        bytes(b, sha256);
        return b.array();
    }

    static ParkedWindow deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte format = b.get();
        if (format != FORMAT) {
            throw new SerializationException("parked window format " + format + " is not " + FORMAT);
        }
        String key = string(b);
        long timestamp = b.getLong();
        int headerCount = b.getInt();
        Headers headers = new RecordHeaders();
        for (int i = 0; i < headerCount; i++) {
            headers.add(string(b), bytes(b));
        }
        byte[] value = bytes(b);
        SeriesWindow series = SeriesWindowSerde.deserialize(topic, bytes(b));
        return new ParkedWindow(key, timestamp, headers, value, series, string(b), string(b));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void bytes(ByteBuffer b, byte[] bytes) {
        if (bytes == null) {
            b.putInt(-1);
        } else {
            b.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }

    private ParkedWindowSerde() {}

    /** The serde of the store. */
    public static Serde<ParkedWindow> serde() {
        Serializer<ParkedWindow> serializer = ParkedWindowSerde::serialize;
        Deserializer<ParkedWindow> deserializer = ParkedWindowSerde::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

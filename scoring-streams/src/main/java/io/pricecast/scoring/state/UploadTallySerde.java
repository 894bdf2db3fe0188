package io.pricecast.scoring.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link UploadTally} in the uploads store: a format byte, the dataset, the partition, accepted,
 * duplicates, the rejected counts (count; reason, value), forecasts, the not-forecast counts (same form), updated
 * at, emitted (a byte). Strings are length + UTF-8.
 */
public final class UploadTallySerde {

    static final byte FORMAT = 1;

    private UploadTallySerde() {}

    static byte[] serialize(String topic, UploadTally t) {
        if (t == null) {
            return null;
        }
        byte[] dataset = t.dataset().getBytes(StandardCharsets.UTF_8);
        int size = 1
                + Integer.BYTES
                + dataset.length
                + Integer.BYTES
                + 2 * Long.BYTES
                + countsSize(t.rejected())
                + Long.BYTES
                + countsSize(t.notForecast())
                + Long.BYTES
                + 1;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT);
        put(b, dataset);
        b.putInt(t.partition()).putLong(t.accepted()).putLong(t.duplicates());
        putCounts(b, t.rejected());
        b.putLong(t.forecasts());
        putCounts(b, t.notForecast());
        b.putLong(t.updatedAt()).put((byte) (t.emitted() ? 1 : 0));
        return b.array();
    }

    static UploadTally deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte format = b.get();
        if (format != FORMAT) {
            throw new SerializationException("upload tally format " + format + " is not " + FORMAT);
        }
        String dataset = text(b);
        int partition = b.getInt();
        long accepted = b.getLong();
        long duplicates = b.getLong();
        Map<String, Long> rejected = counts(b);
        long forecasts = b.getLong();
        Map<String, Long> notForecast = counts(b);
        return new UploadTally(
                dataset, partition, accepted, duplicates, rejected, forecasts, notForecast, b.getLong(), b.get() == 1);
    }

    private static int countsSize(Map<String, Long> counts) {
        int size = Integer.BYTES;
        for (String reason : counts.keySet()) {
            size += Integer.BYTES + reason.getBytes(StandardCharsets.UTF_8).length + Long.BYTES;
        }
        return size;
    }

    private static void putCounts(ByteBuffer b, Map<String, Long> counts) {
        b.putInt(counts.size());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            put(b, e.getKey().getBytes(StandardCharsets.UTF_8));
            b.putLong(e.getValue());
        }
    }

    private static Map<String, Long> counts(ByteBuffer b) {
        int n = b.getInt();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.put(text(b), b.getLong());
        }
        return counts;
    }

    private static void put(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes.length).put(bytes);
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The serde of the store. */
    public static Serde<UploadTally> serde() {
        Serializer<UploadTally> serializer = UploadTallySerde::serialize;
        Deserializer<UploadTally> deserializer = UploadTallySerde::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

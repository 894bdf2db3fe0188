package io.pricecast.scoring.state;

import io.pricecast.avro.Prediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link PendingScore} in the pending store and its changelog: a format byte, key (length +
 * UTF-8), timestamp, the draft prediction in Avro single-object encoding (length + bytes), the window floats
 * (count + values). Internal to the application: no registry involved.
 */
public final class PendingScoreSerde {

    static final byte FORMAT = 1;

    static byte[] serialize(String topic, PendingScore pending) {
        if (pending == null) {
            return null;
        }
        byte[] key = pending.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer draft;
        try {
            draft = pending.draft().toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a draft prediction", e);
        }
        ByteBuffer b = ByteBuffer.allocate(1 + Integer.BYTES + key.length + Long.BYTES + Integer.BYTES + draft.remaining()
                + Integer.BYTES + pending.window().length * Float.BYTES);
        b.put(FORMAT).putInt(key.length).put(key).putLong(pending.timestamp());
        b.putInt(draft.remaining()).put(draft);
        b.putInt(pending.window().length);
        for (float f : pending.window()) {
            b.putFloat(f);
        }
        return b.array();
    }

    static PendingScore deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte format = b.get();
        if (format != FORMAT) {
            throw new SerializationException("pending score format " + format + " is not " + FORMAT);
        }
        byte[] key = new byte[b.getInt()];
        b.get(key);
        long timestamp = b.getLong();
        byte[] draftBytes = new byte[b.getInt()];
        b.get(draftBytes);
        Prediction draft;
        try {
            draft = Prediction.fromByteBuffer(ByteBuffer.wrap(draftBytes));
        } catch (IOException e) {
            throw new SerializationException("cannot decode a draft prediction", e);
        }
        float[] window = new float[b.getInt()];
        for (int i = 0; i < window.length; i++) {
            window[i] = b.getFloat();
        }
        return new PendingScore(new String(key, StandardCharsets.UTF_8), timestamp, draft, window);
    }

    private PendingScoreSerde() {
    }

    /** The serde of the store. */
    public static Serde<PendingScore> serde() {
        Serializer<PendingScore> serializer = PendingScoreSerde::serialize;
        Deserializer<PendingScore> deserializer = PendingScoreSerde::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

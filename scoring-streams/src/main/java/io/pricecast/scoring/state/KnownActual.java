package io.pricecast.scoring.state;

import io.pricecast.model.accuracy.SeriesAccuracy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The actual open of a series' day that arrived while the forecast of that day was still being computed (its window
 * waiting for or in a batched forward pass): kept, one small entry per day in the actuals store, until the forecast is
 * made and scored against it. A backfill's next day usually arrives that way.
 *
 * @param open the day's open
 * @param ref  where the record was read
 */
public record KnownActual(double open, SeriesAccuracy.ValueRef ref) {

    static final byte FORMAT = 1;

    public KnownActual {
        Objects.requireNonNull(ref, "ref");
    }

    /** The serde of the actuals store: a format byte, the open, the topic (length + UTF-8), partition, offset. */
    public static Serde<KnownActual> serde() {
        Serializer<KnownActual> serializer = (topic, a) -> {
            if (a == null) {
                return null;
            }
            byte[] name = a.ref().topic().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + Double.BYTES + Integer.BYTES + name.length + Integer.BYTES + Long.BYTES)
                    .put(FORMAT)
                    .putDouble(a.open())
                    .putInt(name.length)
                    .put(name)
                    .putInt(a.ref().partition())
                    .putLong(a.ref().offset())
                    .array();
        };
        Deserializer<KnownActual> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != FORMAT) {
                throw new SerializationException("known actual format " + data[0] + " is not " + FORMAT);
            }
            double open = b.getDouble();
            byte[] name = new byte[b.getInt()];
            b.get(name);
            return new KnownActual(
                    open,
                    new SeriesAccuracy.ValueRef(new String(name, StandardCharsets.UTF_8), b.getInt(), b.getLong()));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

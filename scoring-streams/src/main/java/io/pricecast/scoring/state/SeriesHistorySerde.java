package io.pricecast.scoring.state;

import io.pricecast.model.accuracy.ForecastError;
import io.pricecast.model.accuracy.SeriesAccuracy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link SeriesHistory} in the series store and its changelog. Internal to the application.
 *
 * <ul>
 *   <li>Format 2 (written): the format byte; the window in {@link SeriesWindowSerde}'s form (length + bytes); the
 *       forecasts awaiting their actual (count; each model version, target epoch day, pred open, base open); the
 *       errors per model version (count; each version, then count of (target epoch day, absolute error, naive
 *       absolute error)). Strings are length + UTF-8.</li>
 *   <li>Format 1 (read only, written by builds before the accuracy moved into the stream): the window alone, in
 *       {@link SeriesWindowSerde}'s form (its own format byte is 1).</li>
 * </ul>
 */
public final class SeriesHistorySerde {

    static final byte FORMAT = 2;

    private SeriesHistorySerde() {}

    static byte[] serialize(String topic, SeriesHistory history) {
        if (history == null) {
            return null;
        }
        byte[] window = SeriesWindowSerde.serialize(topic, history.window());
        SeriesAccuracy a = history.accuracy();
        List<SeriesAccuracy.Awaited> awaiting = a.awaiting();
        Map<String, List<ForecastError>> errors = a.errors();
        List<byte[]> strings = new ArrayList<>();
        int size = 1 + Integer.BYTES + window.length + Integer.BYTES;
        for (SeriesAccuracy.Awaited w : awaiting) {
            size += string(strings, w.modelVersion()) + Integer.BYTES + 2 * Double.BYTES;
        }
        size += Integer.BYTES;
        for (Map.Entry<String, List<ForecastError>> e : errors.entrySet()) {
            size += string(strings, e.getKey())
                    + Integer.BYTES
                    + e.getValue().size() * (Integer.BYTES + 2 * Double.BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        int s = 0;
        b.put(FORMAT).putInt(window.length).put(window);
        b.putInt(awaiting.size());
        for (SeriesAccuracy.Awaited w : awaiting) {
            put(b, strings.get(s++));
            b.putInt((int) w.targetDate().toEpochDay()).putDouble(w.predOpen()).putDouble(w.baseOpen());
        }
        b.putInt(errors.size());
        for (Map.Entry<String, List<ForecastError>> e : errors.entrySet()) {
            put(b, strings.get(s++));
            b.putInt(e.getValue().size());
            for (ForecastError f : e.getValue()) {
                b.putInt((int) f.targetDate().toEpochDay())
                        .putDouble(f.absError())
                        .putDouble(f.naiveAbsError());
            }
        }
        return b.array();
    }

    static SeriesHistory deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == SeriesWindowSerde.FORMAT) {
            return new SeriesHistory(SeriesWindowSerde.deserialize(topic, data), SeriesAccuracy.empty());
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte format = b.get();
        if (format != FORMAT) {
            throw new SerializationException(
                    "series history format " + format + " is neither " + FORMAT + " nor " + SeriesWindowSerde.FORMAT);
        }
        byte[] window = new byte[b.getInt()];
        b.get(window);
        int n = b.getInt();
        List<SeriesAccuracy.Awaited> awaiting = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            awaiting.add(new SeriesAccuracy.Awaited(
                    string(b), LocalDate.ofEpochDay(b.getInt()), b.getDouble(), b.getDouble()));
        }
        n = b.getInt();
        Map<String, List<ForecastError>> errors = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String model = string(b);
            int count = b.getInt();
            List<ForecastError> list = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                list.add(new ForecastError(LocalDate.ofEpochDay(b.getInt()), b.getDouble(), b.getDouble()));
            }
            errors.put(model, list);
        }
        return new SeriesHistory(SeriesWindowSerde.deserialize(topic, window), SeriesAccuracy.of(awaiting, errors));
    }

    /** Encodes {@code text} into {@code strings}; returns the bytes it takes. */
    private static int string(List<byte[]> strings, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        strings.add(bytes);
        return Integer.BYTES + bytes.length;
    }

    private static void put(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes.length).put(bytes);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The serde of the store. */
    public static Serde<SeriesHistory> serde() {
        Serializer<SeriesHistory> serializer = SeriesHistorySerde::serialize;
        Deserializer<SeriesHistory> deserializer = SeriesHistorySerde::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

package io.pricecast.scoring.state;

import io.pricecast.model.features.DailyPrice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link SeriesWindow} in the series store and its changelog: a format byte; a table of the
 * distinct topic names (count, then length + UTF-8 each; normally one); the entry count; then per entry the
 * epoch day, open, high, low, close, volume, market, topic index (byte), partition and offset.
 */
public final class SeriesWindowSerde {

    static final byte FORMAT = 1;
    private static final int FIXED_ENTRY_BYTES = Integer.BYTES + 6 * Double.BYTES + 1 + Integer.BYTES + Long.BYTES;

    static byte[] serialize(String topic, SeriesWindow window) {
        if (window == null) {
            return null;
        }
        List<String> topics = new ArrayList<>(1);
        int size = 2 + 1;
        for (WindowEntry e : window.entries()) {
            if (!topics.contains(e.topic())) {
                topics.add(e.topic());
            }
            size += FIXED_ENTRY_BYTES;
        }
        List<byte[]> names = new ArrayList<>(topics.size());
        for (String t : topics) {
            byte[] name = t.getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += Integer.BYTES + name.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT).put((byte) names.size());
        for (byte[] name : names) {
            b.putInt(name.length).put(name);
        }
        b.put((byte) window.entries().size());
        for (WindowEntry e : window.entries()) {
            DailyPrice p = e.price();
            b.putInt((int) p.date().toEpochDay())
                    .putDouble(p.open())
                    .putDouble(p.high())
                    .putDouble(p.low())
                    .putDouble(p.close())
                    .putDouble(p.volume())
                    .putDouble(p.market());
            b.put((byte) topics.indexOf(e.topic())).putInt(e.partition()).putLong(e.offset());
        }
        return b.array();
    }

    static SeriesWindow deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte format = b.get();
        if (format != FORMAT) {
            throw new SerializationException("series window format " + format + " is not " + FORMAT);
        }
        int topicCount = b.get();
        List<String> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            topics.add(new String(name, StandardCharsets.UTF_8));
        }
        int count = b.get();
        List<WindowEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DailyPrice p = new DailyPrice(
                    LocalDate.ofEpochDay(b.getInt()),
                    b.getDouble(),
                    b.getDouble(),
                    b.getDouble(),
                    b.getDouble(),
                    b.getDouble(),
                    b.getDouble());
            entries.add(new WindowEntry(p, topics.get(b.get()), b.getInt(), b.getLong()));
        }
        return new SeriesWindow(entries);
    }

    private SeriesWindowSerde() {}

    /** The serde of the store. */
    public static Serde<SeriesWindow> serde() {
        Serializer<SeriesWindow> serializer = SeriesWindowSerde::serialize;
        Deserializer<SeriesWindow> deserializer = SeriesWindowSerde::deserialize;
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

package io.pricecast.trainer.data;

import io.pricecast.model.features.DailyPrice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rows a model is trained on: each symbol's daily prices in strictly increasing date order, where they
 * came from, and a content hash that names them exactly.
 *
 * <p>{@link #contentSha256()} is the SHA-256 over, for each symbol in ascending order and each of its rows in
 * date order: the symbol in UTF-8, a zero byte, the ISO date in UTF-8, a zero byte, then open, high, low,
 * close, volume and market as little-endian IEEE-754 float64. Equal rows give an equal hash whatever store
 * they were read from.
 */
public final class TrainingData {

    private final String source;
    private final SortedMap<String, List<DailyPrice>> series;
    private final List<OffsetRange> offsets;
    private final String contentSha256;
    private final long rowCount;

    /**
     * @param source  where the rows were read (e.g. {@code cassandra dataset=live from=... to=...})
     * @param series  rows per symbol; each list strictly increasing by date
     * @param offsets the Kafka positions the rows came from (empty when they did not come from Kafka)
     * @throws IllegalArgumentException naming the symbol and date when a series is not strictly increasing
     */
    public TrainingData(String source, Map<String, List<DailyPrice>> series, List<OffsetRange> offsets) {
        this.source = source;
        SortedMap<String, List<DailyPrice>> copy = new TreeMap<>();
        long rows = 0;
        for (Map.Entry<String, List<DailyPrice>> entry : series.entrySet()) {
            List<DailyPrice> list = List.copyOf(entry.getValue());
            for (int i = 1; i < list.size(); i++) {
                if (!list.get(i).date().isAfter(list.get(i - 1).date())) {
                    throw new IllegalArgumentException("symbol " + entry.getKey() + ": row dated "
                            + list.get(i).date() + " does not follow "
                            + list.get(i - 1).date());
                }
            }
            if (!list.isEmpty()) {
                copy.put(entry.getKey(), list);
                rows += list.size();
            }
        }
        this.series = Collections.unmodifiableSortedMap(copy);
        this.offsets = List.copyOf(offsets);
        this.rowCount = rows;
        this.contentSha256 = hash(copy);
    }

    public String source() {
        return source;
    }

    /** Rows per symbol, symbols ascending. */
    public SortedMap<String, List<DailyPrice>> series() {
        return series;
    }

    public List<OffsetRange> offsets() {
        return offsets;
    }

    public long rowCount() {
        return rowCount;
    }

    public String contentSha256() {
        return contentSha256;
    }

    /** The newest date of any row. */
    public LocalDate lastDate() {
        LocalDate last = null;
        for (List<DailyPrice> rows : series.values()) {
            LocalDate d = rows.get(rows.size() - 1).date();
            if (last == null || d.isAfter(last)) {
                last = d;
            }
        }
        if (last == null) {
            throw new IllegalStateException("no rows");
        }
        return last;
    }

    /** The oldest date of any row. */
    public LocalDate firstDate() {
        LocalDate first = null;
        for (List<DailyPrice> rows : series.values()) {
            LocalDate d = rows.get(0).date();
            if (first == null || d.isBefore(first)) {
                first = d;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no rows");
        }
        return first;
    }

    /** The same rows restricted to {@code symbols} (unknown names are ignored). */
    public TrainingData only(List<String> symbols) {
        Map<String, List<DailyPrice>> kept = new TreeMap<>();
        for (String symbol : symbols) {
            List<DailyPrice> rows = series.get(symbol);
            if (rows != null) {
                kept.put(symbol, rows);
            }
        }
        return new TrainingData(source + " symbols=" + String.join(",", kept.keySet()), kept, offsets);
    }

    private static String hash(SortedMap<String, List<DailyPrice>> series) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        ByteBuffer numbers = ByteBuffer.allocate(6 * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, List<DailyPrice>> entry : series.entrySet()) {
            byte[] symbol = entry.getKey().getBytes(StandardCharsets.UTF_8);
            for (DailyPrice row : entry.getValue()) {
                digest.update(symbol);
                digest.update((byte) 0);
                digest.update(row.date().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                numbers.clear();
                numbers.putDouble(row.open())
                        .putDouble(row.high())
                        .putDouble(row.low())
                        .putDouble(row.close())
                        .putDouble(row.volume())
                        .putDouble(row.market());
                digest.update(numbers.array());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Symbols with their first and last dates and row counts, for the provenance record. */
    public List<SeriesSpan> spans() {
        List<SeriesSpan> spans = new ArrayList<>(series.size());
        series.forEach((symbol, rows) -> spans.add(new SeriesSpan(
                symbol, rows.get(0).date(), rows.get(rows.size() - 1).date(), rows.size())));
        return spans;
    }

    /** One symbol's date range in the training data. */
    public record SeriesSpan(String symbol, LocalDate first, LocalDate last, int rows) {}
}

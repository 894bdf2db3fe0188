package io.pricecast.trainer.data;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.schemas.RowLineage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a dataset's stored prices from the sink's tables, through {@link TrainingQueries},
 * with the Kafka position each row was consumed from (its {@code lineage} column, or the V1 columns
 * {@code kafka_topic}, {@code kafka_partition}, {@code kafka_offset} of rows written before it), so a training set
 * names the exact records it was built from.
 */
public final class CassandraPrices {

    private static final int PROGRESS_EVERY = 1000;

    private final CqlSession session;
    private final PreparedStatement symbols;
    private final PreparedStatement prices;
    private final PreparedStatement stored;

    public CassandraPrices(CqlSession session, String keyspace) {
        this.session = session;
        TrainingQueries queries = new TrainingQueries(keyspace);
        this.symbols = session.prepare(queries.symbols());
        this.prices = session.prepare(queries.prices());
        this.stored = session.prepare(queries.stored());
    }

    /** One series' rows up to {@code to} (inclusive), oldest first, with their lineage. */
    public List<StoredPrice> stored(String dataset, String symbol, LocalDate to) {
        List<StoredPrice> rows = new ArrayList<>();
        for (Row row : session.execute(stored.bind(dataset, symbol, to))) {
            if (!row.isNull("lineage")) {
                JsonNode l = RowLineage.parse(row.getString("lineage"));
                rows.add(new StoredPrice(
                        price(row),
                        text(l, RowLineage.KAFKA_TOPIC),
                        integer(l, RowLineage.KAFKA_PARTITION),
                        bigint(l, RowLineage.KAFKA_OFFSET),
                        text(l, RowLineage.UPLOAD_ID),
                        bigint(l, RowLineage.FILE_LINE),
                        text(l, RowLineage.RAW_TOPIC),
                        integer(l, RowLineage.RAW_PARTITION),
                        bigint(l, RowLineage.RAW_OFFSET),
                        text(l, RowLineage.INGEST_VERSION),
                        instant(l, RowLineage.RECEIVED_AT)));
            } else {
                rows.add(new StoredPrice(
                        price(row),
                        row.getString("kafka_topic"),
                        boxedInt(row, "kafka_partition"),
                        boxedLong(row, "kafka_offset"),
                        row.getString("upload_id"),
                        boxedLong(row, "file_line"),
                        row.getString("raw_topic"),
                        boxedInt(row, "raw_partition"),
                        boxedLong(row, "raw_offset"),
                        row.getString("ingest_version"),
                        row.getInstant("received_at")));
            }
        }
        return rows;
    }

    private static String text(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    private static Long bigint(JsonNode lineage, String field) {
        JsonNode v = lineage.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static Instant instant(JsonNode lineage, String field) {
        String v = text(lineage, field);
        return v == null ? null : Instant.parse(v);
    }

    /** Where the sink read a row: from its lineage column, or the V1 columns of a row written before it. */
    private static StoredPosition position(Row row) {
        if (!row.isNull("lineage")) {
            JsonNode l = RowLineage.parse(row.getString("lineage"));
            return new StoredPosition(
                    text(l, RowLineage.KAFKA_TOPIC),
                    integer(l, RowLineage.KAFKA_PARTITION),
                    bigint(l, RowLineage.KAFKA_OFFSET));
        }
        return new StoredPosition(
                row.getString("kafka_topic"), boxedInt(row, "kafka_partition"), boxedLong(row, "kafka_offset"));
    }

    private record StoredPosition(String topic, Integer partition, Long offset) {}

    private static DailyPrice price(Row row) {
        return new DailyPrice(
                row.getLocalDate("date"),
                row.getDouble("open"),
                row.getDouble("high"),
                row.getDouble("low"),
                row.getDouble("close"),
                row.getDouble("volume"),
                row.getDouble("market"));
    }

    private static Integer boxedInt(Row row, String column) {
        return row.isNull(column) ? null : row.getInt(column);
    }

    private static Long boxedLong(Row row, String column) {
        return row.isNull(column) ? null : row.getLong(column);
    }

    /** The symbols of a dataset, ascending. */
    public List<String> symbols(String dataset) {
        List<String> out = new ArrayList<>();
        for (Row row : session.execute(symbols.bind(dataset))) {
            out.add(row.getString("symbol"));
        }
        out.sort(null);
        return out;
    }

    /**
     * @param symbols  the symbols to read; empty for every symbol of the dataset
     * @param from     first date (inclusive)
     * @param to       last date (inclusive)
     * @param progress receives a line every {@value #PROGRESS_EVERY} symbols
     * @throws IllegalArgumentException when the dataset has no rows in the range
     */
    public TrainingData read(
            String dataset, List<String> symbols, LocalDate from, LocalDate to, Consumer<String> progress) {
        List<String> names = symbols.isEmpty() ? symbols(dataset) : symbols;
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        Map<String, long[]> offsets = new TreeMap<>(); // "topic\0partition" -> first, last, rows
        int done = 0;
        for (String symbol : names) {
            List<DailyPrice> rows = new ArrayList<>();
            for (Row row : session.execute(prices.bind(dataset, symbol, from, to))) {
                rows.add(price(row));
                StoredPosition at = position(row);
                if (at.topic() != null && at.offset() != null && at.partition() != null) {
                    long offset = at.offset();
                    long[] range = offsets.computeIfAbsent(
                            at.topic() + "\0" + at.partition(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
                    range[0] = Math.min(range[0], offset);
                    range[1] = Math.max(range[1], offset);
                    range[2]++;
                }
            }
            if (!rows.isEmpty()) {
                series.put(symbol, rows);
            }
            if (++done % PROGRESS_EVERY == 0) {
                progress.accept("read " + done + "/" + names.size() + " symbols");
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset + " has no stored prices from " + from + " to " + to
                    + (symbols.isEmpty() ? "" : " for " + String.join(",", symbols)));
        }
        List<OffsetRange> ranges = new ArrayList<>();
        offsets.forEach((key, r) -> {
            int sep = key.indexOf('\0');
            ranges.add(
                    new OffsetRange(key.substring(0, sep), Integer.parseInt(key.substring(sep + 1)), r[0], r[1], r[2]));
        });
        String source = TrainingQueries.source(dataset) + " from=" + from + " to=" + to
                + (symbols.isEmpty() ? "" : " symbols=" + String.join(",", symbols));
        return new TrainingData(source, series, ranges);
    }
}

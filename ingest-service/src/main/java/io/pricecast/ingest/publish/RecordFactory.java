package io.pricecast.ingest.publish;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;

/** Builds the Avro records ingest publishes, with their lineage. */
public final class RecordFactory {

    /** The stage named on every rejection ingest publishes. */
    public static final String STAGE = "ingest";
    /** Longest refused text carried in a {@code RejectedRecord} (the schema's documented 4 KiB). */
    public static final int MAX_RAW_CHARS = 4096;

    private RecordFactory() {}

    /**
     * @param lineage      where the record came from
     * @param series       its series
     * @param row          the validated row (its line is the file line for uploads)
     * @param rawPartition raw partition (console) or null
     * @param rawOffset    raw offset (console) or null
     * @return the clean record
     */
    public static PriceRecord clean(
            Lineage lineage, SeriesKey series, PriceRow row, Integer rawPartition, Long rawOffset) {
        boolean upload = lineage.source() == RecordSource.UPLOAD;
        // the all-arguments constructor: the builder validates and copies every field, measurably slower
        return new PriceRecord(
                lineage.dataset(),
                series.id(),
                emptyToNull(row.slug()),
                emptyToNull(row.name()),
                row.date(),
                row.open(),
                row.high(),
                row.low(),
                row.close(),
                row.volume(),
                row.market(),
                lineage.source(),
                lineage.uploadId(),
                upload ? row.line() : null,
                lineage.fileSha256(),
                lineage.rawTopic(),
                rawPartition,
                rawOffset,
                lineage.version(),
                lineage.receivedAt());
    }

    /**
     * @param lineage      where the record came from
     * @param rejection    why it was refused
     * @param rawPartition raw partition (console) or null
     * @param rawOffset    raw offset (console) or null
     * @return the rejected record (symbol and date are not known from a rejection: null)
     */
    public static RejectedRecord rejected(Lineage lineage, Rejection rejection, Integer rawPartition, Long rawOffset) {
        boolean upload = lineage.source() == RecordSource.UPLOAD;
        return new RejectedRecord(
                lineage.dataset(),
                null,
                null,
                STAGE,
                rejection.reason().code(),
                emptyToNull(rejection.field()),
                rejection.message(),
                emptyToNull(truncate(rejection.record())),
                lineage.source(),
                lineage.uploadId(),
                upload ? rejection.line() : null,
                lineage.rawTopic(),
                rawPartition,
                rawOffset,
                lineage.version(),
                lineage.receivedAt());
    }

    static String truncate(String text) {
        return text.length() <= MAX_RAW_CHARS ? text : text.substring(0, MAX_RAW_CHARS);
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}

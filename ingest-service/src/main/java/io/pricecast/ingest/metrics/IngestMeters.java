package io.pricecast.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pricecast.schemas.RejectReason;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ingest's meters, registered up front (so that a scrape shows every series from 0):
 *
 * <pre>
 * pricecast_uploads_total{outcome}               received, repeated (same file again), published, failed, too_large
 * pricecast_records_in_total{intake, outcome, reason}
 *                                                intake upload|console; outcome accepted|duplicate|rejected;
 *                                                reason the rejection's code (RejectReason), "none" when not rejected
 * </pre>
 */
public final class IngestMeters {

    public static final String UPLOADS = "pricecast.uploads";
    public static final String RECORDS = "pricecast.records.in";
    /** {@link #UPLOADS}' sample name in Prometheus' text format. */
    public static final String UPLOADS_SAMPLE = "pricecast_uploads_total";
    /** {@link #RECORDS}' sample name in Prometheus' text format. */
    public static final String RECORDS_SAMPLE = "pricecast_records_in_total";
    /** The {@code reason} of a record that was not rejected. */
    public static final String NO_REASON = "none";

    /** What became of an upload. */
    public enum Upload {
        RECEIVED,
        REPEATED,
        PUBLISHED,
        FAILED,
        TOO_LARGE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where records came from. */
    public enum Intake {
        UPLOAD,
        CONSOLE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record IntakeCounters(Counter accepted, Counter duplicates, Map<RejectReason, Counter> rejected) {}

    private final Map<Upload, Counter> uploads = new EnumMap<>(Upload.class);
    private final Map<Intake, IntakeCounters> records = new EnumMap<>(Intake.class);

    /** @param registry the service's registry */
    public IngestMeters(MeterRegistry registry) {
        for (Upload u : Upload.values()) {
            uploads.put(
                    u,
                    Counter.builder(UPLOADS)
                            .description("uploads by what became of them")
                            .tag("outcome", u.tag())
                            .register(registry));
        }
        for (Intake intake : Intake.values()) {
            Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
            for (RejectReason reason : RejectReason.of(RejectReason.Stage.INGEST)) {
                rejected.put(reason, records(registry, intake, "rejected", reason.code()));
            }
            records.put(
                    intake,
                    new IntakeCounters(
                            records(registry, intake, "accepted", NO_REASON),
                            records(registry, intake, "duplicate", NO_REASON),
                            rejected));
        }
    }

    private static Counter records(MeterRegistry registry, Intake intake, String outcome, String reason) {
        return Counter.builder(RECORDS)
                .description("records read by ingest, by intake and outcome (rejections by reason)")
                .tag("intake", intake.tag())
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }

    /** Counts an upload's outcome. */
    public void upload(Upload outcome) {
        uploads.get(outcome).increment();
    }

    /** Counts accepted records of an intake. */
    public void accepted(Intake intake, long amount) {
        records.get(intake).accepted().increment(amount);
    }

    /** Counts exact duplicates of an intake (not published). */
    public void duplicates(Intake intake, long amount) {
        records.get(intake).duplicates().increment(amount);
    }

    /** Counts rejected records of an intake, by reason. */
    public void rejected(Intake intake, RejectReason reason, long amount) {
        records.get(intake).rejected().get(reason).increment(amount);
    }

    /** @return uploads that ended so */
    public long uploads(Upload outcome) {
        return (long) uploads.get(outcome).count();
    }

    /** @return records of an intake accepted so far */
    public long accepted(Intake intake) {
        return (long) records.get(intake).accepted().count();
    }
}

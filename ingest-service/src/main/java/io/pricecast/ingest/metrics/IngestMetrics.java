package io.pricecast.ingest.metrics;

import io.pricecast.schemas.RejectReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The service's counters, served as JSON on {@code /metrics}. Thread-safe. */
public final class IngestMetrics {

    public static final String UPLOADS_RECEIVED = "uploads.received";
    public static final String UPLOADS_REPEATED = "uploads.repeated";
    public static final String UPLOADS_PUBLISHED = "uploads.published";
    public static final String UPLOADS_FAILED = "uploads.failed";
    public static final String UPLOADS_TOO_LARGE = "uploads.too_large";

    /** Where records came from, the first part of a record counter's name. */
    public enum Intake {
        UPLOAD("upload"),
        CONSOLE("console");

        private final String accepted;
        private final String duplicates;
        private final String rejected;
        private final Map<RejectReason, String> rejectedBy = new java.util.EnumMap<>(RejectReason.class);

        Intake(String prefix) {
            this.accepted = prefix + ".records.accepted";
            this.duplicates = prefix + ".records.duplicates";
            this.rejected = prefix + ".records.rejected";
            for (RejectReason reason : RejectReason.of(RejectReason.Stage.INGEST)) {
                rejectedBy.put(reason, rejected + "." + reason.code());
            }
        }
    }

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Adds to a named counter. */
    public void add(String name, long amount) {
        LongAdder adder = counters.get(name);
        if (adder == null) {
            adder = counters.computeIfAbsent(name, n -> new LongAdder());
        }
        adder.add(amount);
    }

    /** Adds one to a named counter. */
    public void increment(String name) {
        add(name, 1);
    }

    /** Counts an accepted record of an intake. */
    public void accepted(Intake intake, long amount) {
        add(intake.accepted, amount);
    }

    /** Counts an exact duplicate of an intake (not published). */
    public void duplicates(Intake intake, long amount) {
        add(intake.duplicates, amount);
    }

    /** Counts a rejected record of an intake, in total and per reason. */
    public void rejected(Intake intake, RejectReason reason, long amount) {
        add(intake.rejected, amount);
        add(intake.rejectedBy.get(reason), amount);
    }

    /** @return every counter, by name */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, adder) -> out.put(name, adder.sum()));
        return out;
    }

    /** @return one counter's value (0 when never counted) */
    public long value(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }
}

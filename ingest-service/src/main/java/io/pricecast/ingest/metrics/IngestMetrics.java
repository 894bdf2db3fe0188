package io.pricecast.ingest.metrics;

import io.pricecast.input.RejectReason;
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
        UPLOAD("upload"), CONSOLE("console");

        private final String prefix;

        Intake(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Adds to a named counter. */
    public void add(String name, long amount) {
        counters.computeIfAbsent(name, n -> new LongAdder()).add(amount);
    }

    /** Adds one to a named counter. */
    public void increment(String name) {
        add(name, 1);
    }

    /** Counts an accepted record of an intake. */
    public void accepted(Intake intake, long amount) {
        add(intake.prefix + ".records.accepted", amount);
    }

    /** Counts an exact duplicate of an intake (not published). */
    public void duplicates(Intake intake, long amount) {
        add(intake.prefix + ".records.duplicates", amount);
    }

    /** Counts a rejected record of an intake, in total and per reason. */
    public void rejected(Intake intake, RejectReason reason, long amount) {
        add(intake.prefix + ".records.rejected", amount);
        add(intake.prefix + ".records.rejected." + reason.code(), amount);
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

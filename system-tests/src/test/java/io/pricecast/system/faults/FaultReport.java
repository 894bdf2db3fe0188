package io.pricecast.system.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The suite's table: one row per fault, printed and written as Markdown for docs/reliability.md. */
final class FaultReport {

    /**
     * One fault's figures.
     *
     * @param fault          what was done
     * @param recordsIn      input records sent (upload lines and console messages)
     * @param predictionsIn  of which should yield a forecast
     * @param predictionsOut forecasts found in Cassandra
     * @param rejectionsOut  refusals found in Cassandra
     * @param missing        input records with neither
     * @param duplicated     extra copies (Cassandra refusal rows, committed clean records and forecasts)
     * @param unexpected     rows no input asked for
     * @param downtime       from the fault's injection until the component was healthy again (zero: nothing restarted)
     * @param recovery       from the fault's injection until every record sent before it was in Cassandra
     * @param uploadRetries  upload POSTs the client had to repeat (refused or cut off)
     * @param uploadResends  received uploads the client sent again because they had stalled (failed, not running)
     */
    record Row(
            String fault,
            int recordsIn,
            long predictionsIn,
            long predictionsOut,
            long rejectionsOut,
            int missing,
            int duplicated,
            int unexpected,
            Duration downtime,
            Duration recovery,
            int uploadRetries,
            int uploadResends) {}

    /**
     * One fault of the cluster's suite ({@link HaFaultSuiteTest}).
     *
     * @param fault          what was done
     * @param recordsIn      input records sent (upload lines and console messages)
     * @param predictionsOut forecasts found in Cassandra
     * @param rejectionsOut  refusals found in Cassandra
     * @param lost           input records with neither
     * @param duplicated     extra copies (Cassandra refusal rows, committed clean records and forecasts)
     * @param stall          the longest time no forecast was persisted while the faulted part was down
     * @param target         the stall it should stay within
     * @param downFor        how long the faulted part was left down before it was started again
     * @param back           from its restart until it was healthy
     * @param caughtUp       from its restart until it had caught up (a broker: every replica in sync; a Cassandra
     *                       node: every hint for it delivered; a service: healthy and everything sent meanwhile stored)
     */
    record HaRow(
            String fault,
            int recordsIn,
            long predictionsOut,
            long rejectionsOut,
            int lost,
            int duplicated,
            Duration stall,
            Duration target,
            Duration downFor,
            Duration back,
            Duration caughtUp) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<HaRow> haRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    synchronized void add(HaRow row) {
        haRows.add(row);
    }

    /** @param note something that happened during a fault and belongs under the table (e.g. a start retried) */
    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized String markdown(Duration wallClock) {
        StringBuilder s = new StringBuilder();
        if (!haRows.isEmpty()) {
            table(
                    s,
                    List.of(
                            "fault",
                            "records in",
                            "forecasts out",
                            "refusals out",
                            "lost",
                            "duplicated",
                            "stall (target)",
                            "left down",
                            "back after",
                            "caught up after"),
                    haRows.stream()
                            .map(r -> List.<Object>of(
                                    r.fault(),
                                    r.recordsIn(),
                                    r.predictionsOut(),
                                    r.rejectionsOut(),
                                    r.lost(),
                                    r.duplicated(),
                                    seconds(r.stall()) + " (≤ " + seconds(r.target()) + ")",
                                    seconds(r.downFor()),
                                    seconds(r.back()),
                                    seconds(r.caughtUp())))
                            .toList());
        }
        if (!rows.isEmpty()) {
            table(
                    s,
                    List.of(
                            "fault",
                            "records in",
                            "forecasts expected",
                            "forecasts out",
                            "refusals out",
                            "missing",
                            "duplicated",
                            "unexpected",
                            "down for",
                            "recovery",
                            "upload POSTs retried / uploads resent"),
                    rows.stream()
                            .map(r -> List.<Object>of(
                                    r.fault(),
                                    r.recordsIn(),
                                    r.predictionsIn(),
                                    r.predictionsOut(),
                                    r.rejectionsOut(),
                                    r.missing(),
                                    r.duplicated(),
                                    r.unexpected(),
                                    seconds(r.downtime()),
                                    seconds(r.recovery()),
                                    r.uploadRetries() + " / " + r.uploadResends()))
                            .toList());
        }
        return notes(s, wallClock);
    }

    /** A Markdown table: the first column left-aligned (the fault), the figures right-aligned. */
    private static void table(StringBuilder s, List<String> header, List<List<Object>> rows) {
        s.append("| ").append(String.join(" | ", header)).append(" |\n");
        s.append("|---").append("|---:".repeat(header.size() - 1)).append("|\n");
        for (List<Object> row : rows) {
            s.append("| ")
                    .append(String.join(" | ", row.stream().map(String::valueOf).toList()))
                    .append(" |\n");
        }
    }

    private String notes(StringBuilder s, Duration wallClock) {
        for (String note : notes) {
            s.append(String.format(Locale.ROOT, "%nNote: %s%n", note));
        }
        s.append(String.format(
                Locale.ROOT, "%nSuite wall-clock time: %s (stack start included).%n", seconds(wallClock)));
        return s.toString();
    }

    /**
     * Prints the table and writes it to {@code file}.
     *
     * @param file      where to write it
     * @param wallClock the suite's duration
     */
    void publish(Path file, Duration wallClock) {
        String table = markdown(wallClock);
        System.out.println("[faults] ledger per fault\n" + table);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(
                    file, (haRows.isEmpty() ? "# Fault suite report" : "# HA fault suite report") + "\n\n" + table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String seconds(Duration d) {
        return d.isZero() ? "–" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}

package io.pricecast.input.cli;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.batch.BatchOutcomes;
import io.pricecast.input.batch.CleanReport;
import io.pricecast.input.batch.OutcomeCounts;
import io.pricecast.input.batch.SharedTicker;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.input.csv.PriceFileException;
import io.pricecast.input.csv.ReadLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./pricecast validate <file> [--json]}: the ingest rules run offline over one file, with no
 * history (so nothing is {@code out_of_order}). Exit 0 when the file was read, rejections or not;
 * {@value #EXIT_UNREADABLE} when it cannot be read or its layout is unknown.
 */
@Command(
        name = "validate",
        description = {
            "Checks a price CSV file with the ingest rules (docs/ingest-rules.md) and reports how each record ended.",
            "Exit status: 0 when the file was read (even with rejected records), 1 when it cannot be read."
        })
public final class ValidateCommand implements Callable<Integer> {

    public static final int EXIT_READ = 0;
    public static final int EXIT_UNREADABLE = 1;
    /** A progress line on stderr every this many records. */
    public static final long PROGRESS_EVERY_RECORDS = 1_000_000;

    public static final String DEFAULT_SHOWN_REJECTIONS = "20";

    @Parameters(index = "0", paramLabel = "FILE", description = "the CSV file to check")
    private Path file;

    @Option(
            names = "--json",
            description = "print only {\"total\":N,\"accepted\":N,\"duplicates\":N,\"rejected\":{\"<reason>\":N,...}}")
    private boolean json;

    @Option(
            names = "--show",
            paramLabel = "N",
            defaultValue = DEFAULT_SHOWN_REJECTIONS,
            description = "rejected records listed in the readable summary (default: ${DEFAULT-VALUE})")
    private int shown;

    @Option(
            names = "--max-line-length",
            paramLabel = "CHARS",
            defaultValue = "" + ReadLimits.DEFAULT_MAX_LINE_LENGTH,
            description = "longest record accepted, in characters (default: ${DEFAULT-VALUE})")
    private int maxLineLength;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ValidateCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FirstRejections sink = new FirstRejections(Math.max(0, shown));
        CleanReport report;
        String layout;
        try (PriceCsvReader reader = PriceCsvReader.open(file, new ReadLimits(maxLineLength))) {
            layout = reader.layout().label();
            report = BatchCleaner.offline().clean(withProgress(reader, err), sink);
        } catch (PriceFileException e) {
            err.println("validate: " + file + ": " + e.getMessage());
            return EXIT_UNREADABLE;
        } catch (IOException e) {
            err.println("validate: cannot read " + file + ": " + e);
            return EXIT_UNREADABLE;
        }
        if (json) {
            out.println(report.counts().toJson());
        } else {
            printSummary(out, layout, report, sink.inLineOrder());
        }
        out.flush();
        return EXIT_READ;
    }

    private void printSummary(PrintWriter out, String layout, CleanReport report, List<Rejection> first) {
        OutcomeCounts counts = report.counts();
        out.printf("%s (layout %s)%n", file, layout);
        out.printf(
                "total %d, accepted %d, duplicates %d, rejected %d%n",
                counts.total(), counts.accepted(), counts.duplicates(), counts.rejectedTotal());
        counts.rejected().forEach((reason, count) -> out.printf("  %-22s %d%n", reason.code(), count));
        for (SharedTicker ticker : report.sharedTickers()) {
            out.println("note: " + ticker.describe());
        }
        if (!first.isEmpty()) {
            out.printf("first %d rejected record(s):%n", first.size());
            for (Rejection rejection : first) {
                out.printf("  %s: %s%n", rejection.reason().code(), rejection.message());
            }
        }
    }

    private static Iterator<LineOutcome> withProgress(PriceCsvReader reader, PrintWriter err) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return reader.hasNext();
            }

            @Override
            public LineOutcome next() {
                LineOutcome outcome = reader.next();
                if (reader.recordsRead() % PROGRESS_EVERY_RECORDS == 0) {
                    err.printf("validate: %,d records read%n", reader.recordsRead());
                    err.flush();
                }
                return outcome;
            }
        };
    }

    /** Keeps the rejections with the lowest line numbers, whatever order they arrive in. */
    private static final class FirstRejections implements BatchOutcomes {
        private final int limit;
        private final PriorityQueue<Rejection> kept =
                new PriorityQueue<>(Comparator.comparingLong(Rejection::line).reversed());

        FirstRejections(int limit) {
            this.limit = limit;
        }

        @Override
        public void accepted(SeriesKey series, PriceRow row) {
            // only counted
        }

        @Override
        public void duplicate(SeriesKey series, PriceRow row) {
            // only counted
        }

        @Override
        public void rejected(Rejection rejection) {
            kept.add(rejection);
            if (kept.size() > limit) {
                kept.poll();
            }
        }

        List<Rejection> inLineOrder() {
            List<Rejection> ordered = new ArrayList<>(kept);
            ordered.sort(Comparator.comparingLong(Rejection::line));
            return ordered;
        }
    }
}

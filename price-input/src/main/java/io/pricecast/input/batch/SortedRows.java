package io.pricecast.input.batch;

import io.pricecast.input.PriceRow;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.commons.io.file.PathUtils;

/**
 * Sorts a batch of rows by symbol, slug, date and line, in memory up to a threshold and beyond it by
 * spilling sorted runs to a temporary directory and merging them, so memory stays bounded whatever the
 * batch size. Close it to delete the runs.
 */
final class SortedRows implements Closeable {

    /** Symbol, slug, date, line: written out rather than composed, as it runs n log n times per batch. */
    static final Comparator<PriceRow> ORDER = (a, b) -> {
        int c = a.symbol().compareTo(b.symbol());
        if (c != 0) {
            return c;
        }
        c = a.slug().compareTo(b.slug());
        if (c != 0) {
            return c;
        }
        c = a.date().compareTo(b.date());
        return c != 0 ? c : Long.compare(a.line(), b.line());
    };

    /** Most runs merged at once; more are first merged into bigger runs, bounding open files. */
    static final int MAX_FAN_IN = 64;

    private final int maxRowsInMemory;
    private final Path spillParent;
    private final List<PriceRow> buffer = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<RunFile.Reader> openReaders = new ArrayList<>();
    private Path spillDirectory;
    private int runsWritten;

    SortedRows(int maxRowsInMemory, Path spillParent) {
        this.maxRowsInMemory = maxRowsInMemory;
        this.spillParent = spillParent;
    }

    void add(PriceRow row) throws IOException {
        buffer.add(row);
        if (buffer.size() >= maxRowsInMemory) {
            spill();
        }
    }

    /** Runs written to disk so far, including merges of runs. */
    int runsWritten() {
        return runsWritten;
    }

    /** All rows added, in {@link #ORDER}. Call once, after the last {@link #add}. */
    Iterator<PriceRow> sorted() throws IOException {
        if (runs.isEmpty()) {
            buffer.sort(ORDER);
            return buffer.iterator();
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        while (runs.size() > MAX_FAN_IN) {
            List<Run> group = new ArrayList<>(runs.subList(0, MAX_FAN_IN));
            runs.subList(0, MAX_FAN_IN).clear();
            runs.add(mergeToRun(group));
        }
        return merge(runs);
    }

    private void spill() throws IOException {
        buffer.sort(ORDER);
        runs.add(writeRun(buffer.iterator(), buffer.size()));
        buffer.clear();
    }

    private Run mergeToRun(List<Run> group) throws IOException {
        long count = group.stream().mapToLong(Run::rows).sum();
        Run merged = writeRun(merge(group), count);
        closeOpenReaders();
        for (Run run : group) {
            Files.delete(run.file());
        }
        return merged;
    }

    private Run writeRun(Iterator<PriceRow> rows, long count) throws IOException {
        if (spillDirectory == null) {
            spillDirectory = Files.createTempDirectory(spillParent, "price-input-runs-");
        }
        Path run = spillDirectory.resolve("run-" + runsWritten++ + ".bin");
        RunFile.write(run, rows, count);
        return new Run(run, count);
    }

    private Iterator<PriceRow> merge(List<Run> group) throws IOException {
        PriorityQueue<RunFile.Reader> heads =
                new PriorityQueue<>(group.size(), Comparator.comparing(RunFile.Reader::head, ORDER));
        for (Run run : group) {
            RunFile.Reader reader = new RunFile.Reader(run.file());
            openReaders.add(reader);
            if (reader.head() != null) {
                heads.add(reader);
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public PriceRow next() {
                RunFile.Reader reader = heads.poll();
                if (reader == null) {
                    throw new NoSuchElementException("all runs merged");
                }
                PriceRow row = reader.head();
                try {
                    reader.advance();
                } catch (IOException e) {
                    throw new UncheckedIOException("reading spilled run failed", e);
                }
                if (reader.head() != null) {
                    heads.add(reader);
                }
                return row;
            }
        };
    }

    private void closeOpenReaders() throws IOException {
        for (RunFile.Reader reader : openReaders) {
            reader.close();
        }
        openReaders.clear();
    }

    private record Run(Path file, long rows) {}

    @Override
    public void close() throws IOException {
        buffer.clear();
        closeOpenReaders();
        if (spillDirectory != null) {
            PathUtils.deleteDirectory(spillDirectory);
        }
    }
}

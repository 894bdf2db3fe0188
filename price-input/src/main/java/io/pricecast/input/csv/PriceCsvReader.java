package io.pricecast.input.csv;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.Rejection;
import io.pricecast.input.validation.RecordValidator;
import io.pricecast.schemas.RejectReason;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Streams a price CSV file record by record: detects the {@link Layout} from the header, then yields
 * one {@link LineOutcome} per record, in file order, holding one record at a time. UTF-8, with or
 * without a byte-order mark; LF or CRLF line breaks; RFC 4180 quoting (commons-csv).
 *
 * <p>Only per-record rules apply here; duplicates and order are {@code io.pricecast.input.batch}'s job.
 * Not thread-safe. Close it to close the input.
 */
public final class PriceCsvReader implements Iterator<LineOutcome>, Closeable {

    /** Text after a closing quote ({@code "Bit"coin}) is kept rather than failing the whole file. */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            .setIgnoreEmptyLines(true)
            .setTrailingData(true)
            .get();

    private static final RecordValidator VALIDATOR = new RecordValidator();

    private final LineLimitingReader limited;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Layout layout;
    private CSVRecord pending;
    private long pendingLine;
    private long recordsRead;

    private PriceCsvReader(InputStream in, ReadLimits limits) throws IOException {
        InputStream withoutBom = BOMInputStream.builder().setInputStream(in).get();
        this.limited = new LineLimitingReader(
                new InputStreamReader(withoutBom, StandardCharsets.UTF_8), limits.maxLineLength());
        this.parser = FORMAT.parse(limited);
        this.records = parser.iterator();
        boolean hasHeader = hasNextRecord();
        Optional<LineLimitingReader.Unreadable> unreadable = limited.peekUnreadable();
        if (!hasHeader && unreadable.isEmpty()) {
            throw new PriceFileException("the file is empty: no header line");
        }
        CSVRecord header = hasHeader ? records.next() : null;
        if (unreadable.isPresent() && (header == null || unreadable.get().line() < startLine(header))) {
            throw new PriceFileException("line " + unreadable.get().line() + ": header unreadable: "
                    + unreadable.get().why());
        }
        List<String> names = header.toList();
        this.layout = Layout.ofHeader(names).orElseThrow(() -> new UnknownLayoutException(names));
    }

    /**
     * Opens a stream and reads its header. Closing the reader closes {@code in}; so does a failure here.
     *
     * @throws UnknownLayoutException when the header is none of the accepted layouts
     * @throws PriceFileException when the input is empty or its header unreadable
     */
    public static PriceCsvReader open(InputStream in, ReadLimits limits) throws IOException {
        try {
            return new PriceCsvReader(in, limits);
        } catch (RuntimeException | IOException failure) {
            try {
                in.close();
            } catch (IOException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
    }

    public static PriceCsvReader open(Path file, ReadLimits limits) throws IOException {
        return open(Files.newInputStream(file), limits);
    }

    public static PriceCsvReader open(Path file) throws IOException {
        return open(file, ReadLimits.DEFAULTS);
    }

    public Layout layout() {
        return layout;
    }

    /** Records yielded so far (rows and rejections), for progress reports. */
    public long recordsRead() {
        return recordsRead;
    }

    @Override
    public boolean hasNext() {
        // read on first: the parser pulling a record is what makes the filter find unreadable ones
        boolean moreRecords = pending != null || hasNextRecord();
        return moreRecords || limited.peekUnreadable().isPresent();
    }

    @Override
    public LineOutcome next() {
        if (pending == null && hasNextRecord()) {
            pending = records.next();
            pendingLine = startLine(pending);
        }
        Optional<LineLimitingReader.Unreadable> unreadable = limited.peekUnreadable();
        if (unreadable.isPresent() && (pending == null || unreadable.get().line() < pendingLine)) {
            limited.takeUnreadable();
            recordsRead++;
            long line = unreadable.get().line();
            return new LineOutcome.Rejected(new Rejection(
                    line,
                    RejectReason.LINE_TOO_LONG,
                    "",
                    "line " + line + ": " + unreadable.get().why(),
                    ""));
        }
        if (pending == null) {
            throw new NoSuchElementException("no more records");
        }
        CSVRecord record = pending;
        pending = null;
        recordsRead++;
        return outcome(record, pendingLine);
    }

    private LineOutcome outcome(CSVRecord record, long line) {
        String position = "line " + line;
        Supplier<String> text = () -> FORMAT.format(record.values());
        int width = layout.columns().size();
        if (record.size() > width) {
            return new LineOutcome.Rejected(new Rejection(
                    line,
                    RejectReason.TOO_MANY_FIELDS,
                    "",
                    position + ": " + record.size() + " fields, but layout " + layout.label() + " has " + width,
                    text.get()));
        }
        return VALIDATOR.validate(layout.fieldsOf(record), line, position, text);
    }

    private boolean hasNextRecord() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw new PriceFileException(
                    "after line " + parser.getCurrentLineNumber() + ": the CSV cannot be read ("
                            + e.getCause().getMessage() + ")",
                    e);
        }
    }

    /** The first line of a record: the parser reports its last, minus the line breaks inside quotes. */
    private long startLine(CSVRecord record) {
        long breaks = 0;
        for (String value : record.values()) {
            for (int i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) {
                breaks++;
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}

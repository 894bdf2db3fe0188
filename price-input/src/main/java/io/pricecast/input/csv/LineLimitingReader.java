package io.pricecast.input.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Passes text through record by record, holding at most one record of bounded length. A record is a
 * physical line, or several when a quote opened on one line closes on a later one. A record longer
 * than the limit is never passed on: it is replaced by bare line breaks (one per physical line, so
 * the CSV parser's line numbers stay right, and an empty line is skipped by the parser) and its
 * first line number is queued for a {@code line_too_long} rejection. So is a record whose quote is
 * still open at the end of the input: it never ends, whatever the limit.
 *
 * <p>Quotes are only counted for this bound; splitting records into fields is the CSV parser's job.
 */
final class LineLimitingReader extends Reader {

    private static final int CHUNK_SIZE = 8192;
    /** Room for the line break(s) that end a record, on top of its content. */
    private static final int LINE_BREAK_ROOM = 2;

    private final Reader in;
    private final int maxLength;
    private final char[] chunk = new char[CHUNK_SIZE];
    private int chunkPos;
    private int chunkLen;
    private final char[] record;
    private int recordLen;
    private int deliverPos;
    private long linesConsumed;
    private final Deque<Unreadable> unreadable = new ArrayDeque<>();

    LineLimitingReader(Reader in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
        this.record = new char[maxLength + LINE_BREAK_ROOM];
    }

    /** A record kept from the parser: its first line and why. */
    record Unreadable(long line, String why) {}

    /** The oldest record kept from the parser and not yet taken, if any. */
    Optional<Unreadable> peekUnreadable() {
        return Optional.ofNullable(unreadable.peekFirst());
    }

    void takeUnreadable() {
        unreadable.removeFirst();
    }

    /** Physical lines read so far (ahead of the parser by up to its buffer). */
    long linesConsumed() {
        return linesConsumed;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (deliverPos == recordLen) {
            if (!nextRecord()) {
                return -1;
            }
        }
        int count = Math.min(length, recordLen - deliverPos);
        System.arraycopy(record, deliverPos, target, offset, count);
        deliverPos += count;
        return count;
    }

    private boolean nextRecord() throws IOException {
        recordLen = 0;
        deliverPos = 0;
        long firstLine = linesConsumed + 1;
        int content = 0;
        int lineBreaks = 0;
        boolean inQuotes = false;
        boolean tooLong = false;
        boolean readAny = false;
        int c;
        while ((c = nextChar()) >= 0) {
            readAny = true;
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '\n') {
                linesConsumed++;
                lineBreaks++;
            } else if (c != '\r') {
                content++;
            }
            if (!tooLong) {
                if (content > maxLength || recordLen == record.length) {
                    tooLong = true;
                } else {
                    record[recordLen++] = (char) c;
                }
            }
            if (c == '\n' && !inQuotes) {
                break;
            }
        }
        boolean neverEnds = c < 0 && inQuotes;
        if (tooLong || neverEnds) {
            unreadable.addLast(new Unreadable(
                    firstLine,
                    tooLong
                            ? "record is longer than " + maxLength + " characters; not parsed"
                            : "a quoted field is still open at the end of the input; not parsed"));
            recordLen = lineBreaks;
            for (int i = 0; i < lineBreaks; i++) {
                record[i] = '\n';
            }
        }
        return readAny;
    }

    private int nextChar() throws IOException {
        if (chunkPos == chunkLen) {
            chunkLen = in.read(chunk, 0, CHUNK_SIZE);
            chunkPos = 0;
            if (chunkLen <= 0) {
                chunkLen = 0;
                return -1;
            }
        }
        return chunk[chunkPos++];
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

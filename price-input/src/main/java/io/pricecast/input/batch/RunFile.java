package io.pricecast.input.batch;

import io.pricecast.input.PriceRow;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;

/**
 * A sorted run of rows spilled to disk: a row count, then the rows in a fixed binary form, each text written only
 * when it differs from the previous row's.
 */
final class RunFile {

    private static final int BUFFER_BYTES = 1 << 16;

    private RunFile() {}

    /** Flags of a row: which of its texts repeat the previous row's (sorted runs repeat them for a whole series). */
    private static final int SAME_SYMBOL = 1;

    private static final int SAME_SLUG = 2;
    private static final int SAME_NAME = 4;

    static void write(Path file, Iterator<PriceRow> rows, long count) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
            out.writeLong(count);
            PriceRow previous = null;
            for (long i = 0; i < count; i++) {
                PriceRow row = rows.next();
                int same = previous == null
                        ? 0
                        : (row.symbol().equals(previous.symbol()) ? SAME_SYMBOL : 0)
                                | (row.slug().equals(previous.slug()) ? SAME_SLUG : 0)
                                | (row.name().equals(previous.name()) ? SAME_NAME : 0);
                out.writeByte(same);
                if ((same & SAME_SYMBOL) == 0) {
                    writeString(out, row.symbol());
                }
                if ((same & SAME_SLUG) == 0) {
                    writeString(out, row.slug());
                }
                if ((same & SAME_NAME) == 0) {
                    writeString(out, row.name());
                }
                out.writeLong(row.date().toEpochDay());
                out.writeDouble(row.open());
                out.writeDouble(row.high());
                out.writeDouble(row.low());
                out.writeDouble(row.close());
                out.writeDouble(row.volume());
                out.writeDouble(row.market());
                out.writeLong(row.line());
                previous = row;
            }
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads a run back, one row at a time; {@link #head()} is the current row, null once exhausted. */
    static final class Reader implements Closeable {
        private final DataInputStream in;
        private long remaining;
        private PriceRow head;

        Reader(Path file) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES));
            this.remaining = in.readLong();
            advance();
        }

        PriceRow head() {
            return head;
        }

        void advance() throws IOException {
            if (remaining == 0) {
                head = null;
                return;
            }
            remaining--;
            int same = in.readUnsignedByte();
            PriceRow previous = head;
            String symbol = (same & SAME_SYMBOL) != 0 ? previous.symbol() : readString();
            String slug = (same & SAME_SLUG) != 0 ? previous.slug() : readString();
            String name = (same & SAME_NAME) != 0 ? previous.name() : readString();
            head = new PriceRow(
                    symbol,
                    slug,
                    name,
                    LocalDate.ofEpochDay(in.readLong()),
                    in.readDouble(),
                    in.readDouble(),
                    in.readDouble(),
                    in.readDouble(),
                    in.readDouble(),
                    in.readDouble(),
                    in.readLong());
        }

        private String readString() throws IOException {
            return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

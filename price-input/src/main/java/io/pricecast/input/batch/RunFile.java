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

/** A sorted run of rows spilled to disk: a row count, then the rows in a fixed binary form. */
final class RunFile {

  private static final int BUFFER_BYTES = 1 << 16;

  private RunFile() {}

  static void write(Path file, Iterator<PriceRow> rows, long count) throws IOException {
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
      out.writeLong(count);
      for (long i = 0; i < count; i++) {
        PriceRow row = rows.next();
        writeString(out, row.symbol());
        writeString(out, row.slug());
        writeString(out, row.name());
        out.writeLong(row.date().toEpochDay());
        out.writeDouble(row.open());
        out.writeDouble(row.high());
        out.writeDouble(row.low());
        out.writeDouble(row.close());
        out.writeDouble(row.volume());
        out.writeDouble(row.market());
        out.writeLong(row.line());
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
      head = new PriceRow(readString(), readString(), readString(), LocalDate.ofEpochDay(in.readLong()),
          in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
          in.readDouble(), in.readLong());
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

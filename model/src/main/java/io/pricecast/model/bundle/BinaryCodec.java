package io.pricecast.model.bundle;

import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.Tensor;
import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.model.scaler.SymbolScaler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical little-endian encodings of the weights ({@value #WEIGHTS_MAGIC}) and of the scaler set
 * ({@value #SCALERS_MAGIC}). Documented in docs/model.md; any change needs a new format version.
 */
final class BinaryCodec {

    static final String WEIGHTS_MAGIC = "PCWT";
    static final String SCALERS_MAGIC = "PCSC";
    static final int VERSION = 1;

    private BinaryCodec() {}

    static byte[] encodeWeights(BiGruWeights weights) {
        Writer out = new Writer();
        out.magic(WEIGHTS_MAGIC);
        out.int32(VERSION);
        List<Tensor> tensors = weights.tensors();
        out.int32(tensors.size());
        for (Tensor tensor : tensors) {
            out.string(tensor.name());
            int[] shape = tensor.shape();
            out.int32(shape.length);
            for (int d : shape) {
                out.int32(d);
            }
            for (float v : tensor.values()) {
                out.float32(v);
            }
        }
        return out.bytes();
    }

    static BiGruWeights decodeWeights(byte[] bytes, String where) throws IOException {
        Reader in = new Reader(bytes, where);
        try {
            in.magic(WEIGHTS_MAGIC);
            in.version();
            int count = in.count();
            List<Tensor> tensors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = in.string();
                int[] shape = new int[in.count()];
                int size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.count();
                    size = Math.multiplyExact(size, shape[d]);
                }
                float[] values = new float[size];
                for (int v = 0; v < size; v++) {
                    values[v] = in.buffer.getFloat();
                }
                tensors.add(new Tensor(name, shape, values));
            }
            in.end();
            return BiGruWeights.of(tensors);
        } catch (BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw new IOException(where + ": corrupt weights: " + e.getMessage(), e);
        }
    }

    static byte[] encodeScalers(ScalerSet scalers) {
        Writer out = new Writer();
        out.magic(SCALERS_MAGIC);
        out.int32(VERSION);
        List<String> columns = scalers.columns();
        out.int32(columns.size());
        columns.forEach(out::string);
        List<String> symbols = scalers.symbols();
        out.int32(symbols.size());
        for (String symbol : symbols) {
            out.string(symbol);
            SymbolScaler scaler = scalers.forSymbol(symbol).orElseThrow();
            for (int c = 0; c < columns.size(); c++) {
                out.float64(scaler.mean(c));
                out.float64(scaler.scale(c));
            }
        }
        return out.bytes();
    }

    static ScalerSet decodeScalers(byte[] bytes, String where) throws IOException {
        Reader in = new Reader(bytes, where);
        try {
            in.magic(SCALERS_MAGIC);
            in.version();
            int columnCount = in.count();
            List<String> columns = new ArrayList<>(columnCount);
            for (int c = 0; c < columnCount; c++) {
                columns.add(in.string());
            }
            ScalerSet.Builder builder = ScalerSet.builder(columns);
            int symbols = in.count();
            for (int s = 0; s < symbols; s++) {
                String symbol = in.string();
                double[] means = new double[columnCount];
                double[] scales = new double[columnCount];
                for (int c = 0; c < columnCount; c++) {
                    means[c] = in.buffer.getDouble();
                    scales[c] = in.buffer.getDouble();
                }
                builder.put(symbol, means, scales);
            }
            in.end();
            return builder.build();
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(where + ": corrupt scalers: " + e.getMessage(), e);
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

        void magic(String magic) {
            bytes.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
        }

        void int32(int v) {
            scratch.clear();
            bytes.write(scratch.putInt(v).array(), 0, Integer.BYTES);
        }

        void float32(float v) {
            scratch.clear();
            bytes.write(scratch.putFloat(v).array(), 0, Float.BYTES);
        }

        void float64(double v) {
            scratch.clear();
            bytes.write(scratch.putDouble(v).array(), 0, Double.BYTES);
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            int32(utf8.length);
            bytes.writeBytes(utf8);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static final class Reader {
        private final ByteBuffer buffer;
        private final String where;

        Reader(byte[] bytes, String where) {
            this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.where = where;
        }

        void magic(String expected) throws IOException {
            byte[] magic = new byte[expected.length()];
            buffer.get(magic);
            if (!expected.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IOException(where + ": expected magic " + expected);
            }
        }

        void version() throws IOException {
            int version = buffer.getInt();
            if (version != VERSION) {
                throw new IOException(
                        where + ": unsupported encoding version " + version + " (this build reads " + VERSION + ")");
            }
        }

        int count() throws IOException {
            int n = buffer.getInt();
            if (n < 0 || n > buffer.remaining()) {
                throw new IOException(
                        where + ": implausible count " + n + " at byte " + (buffer.position() - Integer.BYTES));
            }
            return n;
        }

        String string() throws IOException {
            byte[] utf8 = new byte[count()];
            buffer.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        void end() throws IOException {
            if (buffer.hasRemaining()) {
                throw new IOException(where + ": " + buffer.remaining() + " unexpected trailing bytes");
            }
        }
    }
}

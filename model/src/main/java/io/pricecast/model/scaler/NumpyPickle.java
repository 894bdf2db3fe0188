package io.pricecast.model.scaler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The few numpy objects a pickled sklearn StandardScaler holds (dtype, ndarray via {@code _reconstruct}, scalar),
 * decoded for Pyrolite. Only little-endian (or byte-order-free) {@code f8}, {@code f4}, {@code i8}, {@code i4}
 * data is supported; anything else fails with a message naming the dtype.
 */
final class NumpyPickle {

    /** numpy moved {@code numpy.core} to {@code numpy._core} in 2.0; pickles may name either. */
    private static final String[] MULTIARRAY_MODULES = {"numpy.core.multiarray", "numpy._core.multiarray"};

    private static boolean registered;

    private NumpyPickle() {}

    static synchronized void register() {
        if (registered) {
            return;
        }
        IObjectConstructor dtype = args -> new Dtype(String.valueOf(args[0]));
        Unpickler.registerConstructor("numpy", "dtype", dtype);
        for (String module : MULTIARRAY_MODULES) {
            Unpickler.registerConstructor(module, "_reconstruct", args -> new Array());
            Unpickler.registerConstructor(module, "scalar", NumpyPickle::scalar);
        }
        registered = true;
    }

    private static Object scalar(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof Dtype type) || !(args[1] instanceof byte[] bytes)) {
            throw new PickleException("numpy scalar: expected (dtype, bytes), got " + Arrays.toString(args));
        }
        double[] values = type.decode(bytes);
        if (values.length != 1) {
            throw new PickleException("numpy scalar: expected one " + type.code + " value, got " + values.length);
        }
        return type.isInteger() ? (Object) (long) values[0] : (Object) values[0];
    }

    /** A numpy dtype; Pyrolite calls {@link #__setstate__} with the pickled state tuple. */
    public static final class Dtype {
        private final String code;
        private String byteOrder = "=";

        Dtype(String code) {
            this.code = code;
        }

        public void __setstate__(Object[] state) {
            if (state.length > 1 && state[1] != null) {
                byteOrder = String.valueOf(state[1]);
            }
        }

        boolean isInteger() {
            return code.startsWith("i");
        }

        double[] decode(byte[] bytes) {
            if (byteOrder.equals(">")) {
                throw new PickleException("numpy dtype " + code + ": big-endian data is not supported");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int width = switch (code) {
                case "f8", "i8" -> Double.BYTES;
                case "f4", "i4" -> Float.BYTES;
                default -> throw new PickleException("numpy dtype " + code + " is not supported");
            };
            if (bytes.length % width != 0) {
                throw new PickleException("numpy " + code + " data of " + bytes.length + " bytes");
            }
            double[] values = new double[bytes.length / width];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (code) {
                    case "f8" -> buffer.getDouble();
                    case "f4" -> buffer.getFloat();
                    case "i8" -> buffer.getLong();
                    default -> buffer.getInt();
                };
            }
            return values;
        }
    }

    /** A numpy ndarray rebuilt by {@code _reconstruct} and then {@link #__setstate__}. */
    public static final class Array {
        private double[] values;

        public void __setstate__(Object[] state) {
            // (version, shape, dtype, is_fortran, raw data)
            if (state.length != 5 || !(state[2] instanceof Dtype type)) {
                throw new PickleException("numpy ndarray: unexpected state " + Arrays.deepToString(state));
            }
            Object raw = state[4];
            byte[] bytes = raw instanceof byte[] b
                    ? b
                    : raw instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : null;
            if (bytes == null) {
                throw new PickleException(
                        "numpy ndarray: data of type " + raw.getClass().getName() + " is not supported");
            }
            values = type.decode(bytes);
        }

        double[] values() {
            if (values == null) {
                throw new PickleException("numpy ndarray was never given its state");
            }
            return values.clone();
        }
    }
}

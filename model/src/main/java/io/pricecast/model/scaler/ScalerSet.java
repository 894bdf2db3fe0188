package io.pricecast.model.scaler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-symbol, per-column standard scalers (mean and scale) for a fixed list of columns. Immutable.
 * Stored as two flat primitive arrays indexed {@code symbolIndex * columnCount + column}, so 10,000 symbols
 * cost about 2 MB of doubles plus the symbol index.
 */
public final class ScalerSet {

    private final List<String> columns;
    private final String[] symbols;
    private final Map<String, Integer> indexBySymbol;
    private final double[] means;
    private final double[] scales;

    private ScalerSet(List<String> columns, String[] symbols, double[] means, double[] scales) {
        this.columns = List.copyOf(columns);
        this.symbols = symbols;
        this.means = means;
        this.scales = scales;
        this.indexBySymbol = new HashMap<>(symbols.length * 2);
        for (int i = 0; i < symbols.length; i++) {
            indexBySymbol.put(symbols[i], i);
        }
    }

    /** The scaled columns, in order. */
    public List<String> columns() {
        return columns;
    }

    /** Symbols in ascending {@link String#compareTo} order. */
    public List<String> symbols() {
        return List.of(symbols);
    }

    public int size() {
        return symbols.length;
    }

    public boolean contains(String symbol) {
        return indexBySymbol.containsKey(symbol);
    }

    public Optional<SymbolScaler> forSymbol(String symbol) {
        Integer index = indexBySymbol.get(symbol);
        if (index == null) {
            return Optional.empty();
        }
        return Optional.of(new SymbolScaler(symbol, means, scales, index * columns.size(), columns.size()));
    }

    public static Builder builder(List<String> columns) {
        return new Builder(columns);
    }

    /** Collects symbols in any order; {@link #build()} sorts them so equal content gives equal sets. */
    public static final class Builder {
        private final List<String> columns;
        private final TreeMap<String, double[][]> bySymbol = new TreeMap<>();

        private Builder(List<String> columns) {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a scaler set needs at least one column");
            }
            this.columns = List.copyOf(columns);
        }

        /** Adds one symbol; {@code means} and {@code scales} follow the column order. */
        public Builder put(String symbol, double[] means, double[] scales) {
            if (means.length != columns.size() || scales.length != columns.size()) {
                throw new IllegalArgumentException("symbol " + symbol + ": expected " + columns.size()
                        + " means and scales, got " + means.length + " and " + scales.length);
            }
            if (bySymbol.put(symbol, new double[][] {means.clone(), scales.clone()}) != null) {
                throw new IllegalArgumentException("symbol " + symbol + " added twice");
            }
            return this;
        }

        public ScalerSet build() {
            int width = columns.size();
            String[] symbols = bySymbol.keySet().toArray(String[]::new);
            double[] means = new double[symbols.length * width];
            double[] scales = new double[symbols.length * width];
            int i = 0;
            for (double[][] entry : bySymbol.values()) {
                System.arraycopy(entry[0], 0, means, i * width, width);
                System.arraycopy(entry[1], 0, scales, i * width, width);
                i++;
            }
            return new ScalerSet(columns, symbols, means, scales);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScalerSet that
                && columns.equals(that.columns)
                && Arrays.equals(symbols, that.symbols)
                && Arrays.equals(means, that.means)
                && Arrays.equals(scales, that.scales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(symbols) * 31 + Arrays.hashCode(means);
    }

    @Override
    public String toString() {
        return "ScalerSet[" + symbols.length + " symbols x " + columns.size() + " columns]";
    }
}

package io.pricecast.model.scaler;

/**
 * One symbol's standard scalers, a view into its {@link ScalerSet}'s primitive arrays: for each scaled column,
 * {@code scaled = (x - mean) / scale}.
 */
public final class SymbolScaler {

    private final String symbol;
    private final double[] means;
    private final double[] scales;
    private final int offset;
    private final int columns;

    SymbolScaler(String symbol, double[] means, double[] scales, int offset, int columns) {
        this.symbol = symbol;
        this.means = means;
        this.scales = scales;
        this.offset = offset;
        this.columns = columns;
    }

    public String symbol() {
        return symbol;
    }

    public double mean(int column) {
        return means[offset + checked(column)];
    }

    public double scale(int column) {
        return scales[offset + checked(column)];
    }

    /** {@code (x - mean) / scale}; a non-finite result becomes 0 (docs/model.md, "Exact semantics"). */
    public double transform(int column, double x) {
        double scaled = (x - mean(column)) / scale(column);
        return Double.isFinite(scaled) ? scaled : 0.0;
    }

    /** {@code scaled * scale + mean}. */
    public double inverse(int column, double scaled) {
        return scaled * scale(column) + mean(column);
    }

    private int checked(int column) {
        if (column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("scaler column " + column + " of " + columns + " for symbol " + symbol);
        }
        return column;
    }
}

package io.pricecast.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One measured quantity over R runs: the median, the minimum and the maximum, and every run's value.
 *
 * @param unit   what the numbers count (records/s, s, ms, MB, ...)
 * @param values every run's value, in run order
 */
public record Figure(String unit, List<Double> values) {

    public Figure {
        values = List.copyOf(values);
    }

    /** @return a figure of one value */
    public static Figure of(String unit, double value) {
        return new Figure(unit, List.of(value));
    }

    /** @return the median (the mean of the two middle values for an even count), NaN when empty */
    public double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = sorted();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** @return the smallest value, NaN when empty */
    public double min() {
        return values.isEmpty() ? Double.NaN : sorted()[0];
    }

    /** @return the largest value, NaN when empty */
    public double max() {
        return values.isEmpty() ? Double.NaN : sorted()[values.size() - 1];
    }

    private double[] sorted() {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    /**
     * @param sorted ascending values
     * @param fraction 0..1
     * @return the nearest-rank percentile
     */
    public static double percentile(double[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

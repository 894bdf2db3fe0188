package io.pricecast.trainer.data;

import io.pricecast.model.features.DailyPrice;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Deterministic synthetic daily prices for tests and benchmarks: per symbol a random walk whose daily change of
 * the open has momentum ({@code v(t) = 0.6 v(t-1) + noise}), so a model can learn to beat the naive forecast.
 */
public final class SyntheticPrices {

    private SyntheticPrices() {}

    /** Symbols {@code S0000..}, {@code days} consecutive days from {@code start}, seeded. */
    public static Map<String, List<DailyPrice>> generate(int symbols, int days, LocalDate start, long seed) {
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < symbols; s++) {
            String symbol = String.format("S%04d", s);
            double level = 10 + random.nextDouble() * 990;
            double open = level;
            double velocity = 0;
            double shares = 1e6 + random.nextDouble() * 1e8;
            List<DailyPrice> rows = new ArrayList<>(days);
            for (int d = 0; d < days; d++) {
                velocity = 0.6 * velocity + random.nextGaussian() * 0.02 * level;
                double nextOpen = Math.max(0.01 * level, open + velocity);
                double close = nextOpen * (1 + random.nextGaussian() * 0.002);
                double high = Math.max(open, close) * (1 + Math.abs(random.nextGaussian()) * 0.01);
                double low = Math.min(open, close) * (1 - Math.abs(random.nextGaussian()) * 0.01);
                rows.add(new DailyPrice(
                        start.plusDays(d), open, high, low, close, 1e6 * (1 + random.nextDouble()), close * shares));
                open = nextOpen;
            }
            series.put(symbol, rows);
        }
        return series;
    }
}

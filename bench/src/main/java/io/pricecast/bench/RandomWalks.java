package io.pricecast.bench;

import io.pricecast.schemas.SeriesKeys;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * Deterministic synthetic daily prices: one geometric random walk per series, seeded per series, so the
 * same seed gives the same numbers whatever order the series are generated in.
 *
 * <p>The first model knows only its scalers' symbols (20 for {@code ds-keras-v1}), so {@code n} series are
 * those symbols over {@code ceil(n / symbols)} datasets: series {@code s} is symbol {@code s % k} of dataset
 * {@code prefix-(s / k)}, and every series gets forecasts.
 */
public final class RandomWalks {

    /** The first day of every walk. */
    public static final LocalDate FIRST_DAY = LocalDate.of(2017, 1, 1);

    private static final double DAILY_VOLATILITY = 0.03;
    private static final double INTRADAY_RANGE = 0.02;
    private static final double MAX_START_LEVEL = 100;
    private static final double SHARES = 1_000_000;
    private static final long SEED_STRIDE = 1_000_003L;

    private final String prefix;
    private final List<String> symbols;
    private final Random[] random;
    private final double[] level;
    private final int[] nextDay;

    /**
     * @param prefix  dataset name prefix (unique per run, so runs on one stack never share a series)
     * @param symbols the symbols the model knows
     * @param series  how many series
     * @param seed    the seed
     */
    public RandomWalks(String prefix, List<String> symbols, int series, long seed) {
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("the model knows no symbols");
        }
        this.prefix = prefix;
        this.symbols = List.copyOf(symbols);
        this.random = new Random[series];
        this.level = new double[series];
        this.nextDay = new int[series];
        for (int s = 0; s < series; s++) {
            random[s] = new Random(seed * SEED_STRIDE + s);
            level[s] = 1 + random[s].nextDouble() * MAX_START_LEVEL;
        }
    }

    /** @return how many series */
    public int series() {
        return level.length;
    }

    /** @return how many datasets the series span */
    public int datasets() {
        return (level.length + symbols.size() - 1) / symbols.size();
    }

    /** @return the dataset of series {@code s} */
    public String dataset(int s) {
        return prefix + "-" + (s / symbols.size());
    }

    /** @return the symbol of series {@code s} */
    public String symbol(int s) {
        return symbols.get(s % symbols.size());
    }

    /** @return the first series of dataset {@code d} */
    public int firstSeries(int d) {
        return d * symbols.size();
    }

    /** @return one past the last series of dataset {@code d} */
    public int endSeries(int d) {
        return Math.min(level.length, (d + 1) * symbols.size());
    }

    /** @return the next day of series {@code s} (the walk advances by one day) */
    public DailyPrice next(int s) {
        Random r = random[s];
        double open = level[s];
        double close = open * Math.exp(r.nextGaussian() * DAILY_VOLATILITY);
        double high = Math.max(open, close) * (1 + r.nextDouble() * INTRADAY_RANGE);
        double low = Math.min(open, close) * (1 - r.nextDouble() * INTRADAY_RANGE);
        double volume = 1000 + r.nextInt(1000);
        level[s] = close;
        LocalDate date = FIRST_DAY.plusDays(nextDay[s]++);
        return new DailyPrice(dataset(s), symbol(s), date, open, high, low, close, volume, close * SHARES);
    }

    /**
     * One day of one series.
     *
     * @param dataset the dataset
     * @param symbol  the symbol
     * @param date    the day
     * @param open    open
     * @param high    high
     * @param low     low
     * @param close   close
     * @param volume  volume
     * @param market  market capitalisation
     */
    public record DailyPrice(
            String dataset,
            String symbol,
            LocalDate date,
            double open,
            double high,
            double low,
            double close,
            double volume,
            double market) {

        /** The header of the short CSV layout ingest accepts. */
        public static final String CSV_HEADER = "symbol,date,open,high,low,close,volume,market";

        /** @return the row in the short CSV layout (no newline) */
        public String csv() {
            return symbol + "," + date + "," + open + "," + high + "," + low + "," + close + "," + volume + ","
                    + market;
        }

        /** The header of the notebook's {@code crypto_filt.csv} layout (the test URL's usual file). */
        public static final String NOTEBOOK_HEADER =
                "symbol,,slug,name,date,ranknow,open,high,low,close,volume,market," + "close_ratio,spread";

        /**
         * @param index the row's value of the notebook's unnamed index column
         * @return the row in the notebook layout (no newline)
         */
        public String notebookCsv(long index) {
            double spread = high - low;
            double closeRatio = spread == 0 ? 0 : (close - low) / spread;
            return symbol + "," + index + "," + symbol.toLowerCase(java.util.Locale.ROOT) + "," + symbol + " coin,"
                    + date
                    + ",1," + open + "," + high + "," + low + "," + close + "," + volume + "," + market + ","
                    + closeRatio
                    + "," + spread;
        }

        /** @return the row as a console-producer JSON message naming its dataset */
        public String json() {
            return "{\"dataset\":\"" + dataset + "\",\"symbol\":\"" + symbol + "\",\"date\":\"" + date + "\",\"open\":"
                    + open
                    + ",\"high\":" + high + ",\"low\":" + low + ",\"close\":" + close + ",\"volume\":" + volume
                    + ",\"market\":" + market + "}";
        }

        /** @return the Kafka key ingest gives the series */
        public String key() {
            return SeriesKeys.of(dataset, symbol);
        }
    }
}

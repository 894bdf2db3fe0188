package io.pricecast.trainer.fit;

import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.TARGET_INDEX;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;

import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.model.scaler.SymbolScaler;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The training and validation windows of a training set, stored compactly: each day's scaled feature row once
 * (13 floats, taken from the model library's {@link Features#windows}), and each sample as the index of the
 * row its window ends on plus its target, the scaled {@code v_open} of the next day. A window is assembled on
 * demand from the up to 5 rows ending on that index (zero-padded at the front within the symbol), which is
 * exactly what {@link Features#windows} gives (pinned by a test). About 60 bytes per day instead of 260.
 */
final class Samples {

    private final float[] rows;
    private final int[] symbolStart; // per global row: index of its symbol's first row
    private final Split train;
    private final Split validation;

    private Samples(float[] rows, int[] symbolStart, Split train, Split validation) {
        this.rows = rows;
        this.symbolStart = symbolStart;
        this.train = train;
        this.validation = validation;
    }

    /** Samples of one split: window end rows and targets. */
    record Split(int[] endRows, float[] targets) {
        int size() {
            return endRows.length;
        }
    }

    /**
     * @param series         rows per symbol (only symbols of {@code scalers} are used)
     * @param validationFrom first forecast (target) date of the validation split; earlier targets train
     * @param heldOutFrom    first target date held out of both (the metrics tail)
     */
    static Samples build(
            Map<String, List<DailyPrice>> series, ScalerSet scalers, LocalDate validationFrom, LocalDate heldOutFrom) {
        int total = 0;
        for (String symbol : scalers.symbols()) {
            total += series.get(symbol).size();
        }
        float[] rows = new float[total * FEATURE_COUNT];
        int[] symbolStart = new int[total];
        Growing train = new Growing();
        Growing validation = new Growing();
        int base = 0;
        for (String symbol : scalers.symbols()) {
            List<DailyPrice> days = series.get(symbol);
            SymbolScaler scaler = scalers.forSymbol(symbol).orElseThrow();
            float[] windows = Features.windows(days, scaler);
            for (int i = 0; i < days.size(); i++) {
                int lastStep = i * Features.WINDOW_SIZE + (WINDOW_LENGTH - 1) * FEATURE_COUNT;
                System.arraycopy(windows, lastStep, rows, (base + i) * FEATURE_COUNT, FEATURE_COUNT);
                symbolStart[base + i] = base;
            }
            for (int i = 0; i + 1 < days.size(); i++) {
                LocalDate target = days.get(i + 1).date();
                // the scaled v_open of day D+1 is the last-step v_open of the window ending on D+1
                float y = windows[(i + 1) * Features.WINDOW_SIZE + (WINDOW_LENGTH - 1) * FEATURE_COUNT + TARGET_INDEX];
                if (target.isBefore(validationFrom)) {
                    train.add(base + i, y);
                } else if (target.isBefore(heldOutFrom)) {
                    validation.add(base + i, y);
                }
            }
            base += days.size();
        }
        return new Samples(rows, symbolStart, train.toSplit(), validation.toSplit());
    }

    Split train() {
        return train;
    }

    Split validation() {
        return validation;
    }

    /** Writes the windows of {@code endRows[from, from + count)} into {@code out} ({@code count * 65} floats). */
    void windows(int[] endRows, int from, int count, float[] out) {
        Arrays.fill(out, 0, count * Features.WINDOW_SIZE, 0f);
        for (int s = 0; s < count; s++) {
            int end = endRows[from + s];
            int first = Math.max(symbolStart[end], end - WINDOW_LENGTH + 1);
            int pad = WINDOW_LENGTH - (end - first + 1);
            System.arraycopy(
                    rows,
                    first * FEATURE_COUNT,
                    out,
                    s * Features.WINDOW_SIZE + pad * FEATURE_COUNT,
                    (end - first + 1) * FEATURE_COUNT);
        }
    }

    /** The windows of a split's samples given by {@code order[from, from + count)} (for shuffled batches). */
    void windows(Split split, int[] order, int from, int count, float[] out, float[] targets) {
        int[] ends = new int[count];
        for (int s = 0; s < count; s++) {
            ends[s] = split.endRows()[order[from + s]];
            targets[s] = split.targets()[order[from + s]];
        }
        windows(ends, 0, count, out);
    }

    private static final class Growing {
        private int[] ends = new int[1024];
        private float[] targets = new float[1024];
        private int size;

        void add(int end, float target) {
            if (size == ends.length) {
                ends = Arrays.copyOf(ends, size * 2);
                targets = Arrays.copyOf(targets, size * 2);
            }
            ends[size] = end;
            targets[size] = target;
            size++;
        }

        Split toSplit() {
            return new Split(Arrays.copyOf(ends, size), Arrays.copyOf(targets, size));
        }
    }
}

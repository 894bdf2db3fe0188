package io.pricecast.scoring.state;

import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;

import io.pricecast.avro.InputRef;
import io.pricecast.model.features.SeriesState;
import io.pricecast.model.scaler.SymbolScaler;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the scorer keeps per series (dataset, symbol): the newest {@value #CAPACITY} records, raw, with their
 * Kafka positions: the {@value FeatureSpec#WINDOW_LENGTH} records of the current window and the one before it,
 * whose values enter the oldest window row's first differences.
 *
 * <p>Raw rows rather than scaled ones: the scaled window is rebuilt with the scaler of the model that scores
 * it (a fold of {@link SeriesState#next}, the model library's one feature path), so a promoted model with
 * other scalers never sees rows scaled by its predecessor, and series the active model does not know keep
 * their history for a later model that does.
 *
 * @param entries oldest first, at most {@value #CAPACITY}
 */
public record SeriesWindow(List<WindowEntry> entries) {

    /** Window rows plus the record before them. */
    public static final int CAPACITY = WINDOW_LENGTH + 1;

    public static final SeriesWindow EMPTY = new SeriesWindow(List.of());

    public SeriesWindow {
        entries = List.copyOf(entries);
        if (entries.size() > CAPACITY) {
            throw new IllegalArgumentException("at most " + CAPACITY + " entries, got " + entries.size());
        }
    }

    /** The newest day of the series, or {@code null} when it has none. */
    public LocalDate newestDate() {
        return entries.isEmpty() ? null : newest().price().date();
    }

    /** The newest record, which must exist. */
    public WindowEntry newest() {
        return entries.get(entries.size() - 1);
    }

    /** This window advanced by {@code entry}, which must be newer than {@link #newestDate()}. */
    public SeriesWindow append(WindowEntry entry) {
        Objects.requireNonNull(entry, "entry");
        LocalDate newest = newestDate();
        if (newest != null && !entry.price().date().isAfter(newest)) {
            throw new IllegalArgumentException("entry dated " + entry.price().date() + " does not follow " + newest);
        }
        List<WindowEntry> next = new ArrayList<>(CAPACITY);
        int keep = Math.min(entries.size(), CAPACITY - 1);
        next.addAll(entries.subList(entries.size() - keep, entries.size()));
        next.add(entry);
        return new SeriesWindow(next);
    }

    /** The references of the window's records (up to 5, oldest first). */
    public List<InputRef> windowRefs() {
        List<InputRef> refs = new ArrayList<>(WINDOW_LENGTH);
        for (int i = firstWindowIndex(); i < entries.size(); i++) {
            refs.add(entries.get(i).ref());
        }
        return refs;
    }

    /** The record before the window's oldest one, or {@code null} at the series' start. */
    public InputRef previousRef() {
        return entries.size() == CAPACITY ? entries.get(0).ref() : null;
    }

    /**
     * The scaled window ending on the newest record, flattened ({@code [time][feature]}), computed by the model
     * library's streaming step with {@code scaler}: exactly the window the batch forecaster builds for that day.
     */
    public float[] scaledWindow(SymbolScaler scaler) {
        SeriesState state = SeriesState.empty();
        int first = firstWindowIndex();
        if (entries.size() == CAPACITY) {
            state = SeriesState.of(entries.get(0).price(), List.of());
        }
        float[][] window = null;
        for (int i = first; i < entries.size(); i++) {
            SeriesState.Step step = state.next(entries.get(i).price(), scaler);
            state = step.state();
            window = step.window();
        }
        if (window == null) {
            throw new IllegalStateException("an empty series has no window");
        }
        float[] flat = new float[WINDOW_LENGTH * FEATURE_COUNT];
        for (int t = 0; t < WINDOW_LENGTH; t++) {
            System.arraycopy(window[t], 0, flat, t * FEATURE_COUNT, FEATURE_COUNT);
        }
        return flat;
    }

    private int firstWindowIndex() {
        return Math.max(0, entries.size() - WINDOW_LENGTH);
    }
}

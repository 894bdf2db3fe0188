package io.pricecast.model.accuracy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The accuracy bookkeeping of one series, the same for the stream and for re-scoring: forecasts waiting for the
 * actual open of their target day, and per model version the errors of the last {@link RollingAccuracy#LONG_DAYS}
 * days it was scored on, from which the rolling figures follow.
 *
 * <p>A forecast for day T is scored when the series' record for T arrives: a forecast made before its actual waits in
 * {@link #awaiting()} until {@link #actualArrived}; a forecast made once its actual is known (the stream makes
 * forecasts in batches, and a backfill's next day can arrive while the forecast of it is computed) is scored at once
 * with {@link #scoreKnown}. A forecast whose target day is skipped by the series (the next record is later) is never
 * scored, like a forecast whose actual never comes.
 *
 * <p>Mutable, not thread-safe: the stream reads it from its store, changes it and writes it back.
 */
public final class SeriesAccuracy {

    /** Model versions whose errors are kept per series; the one scored longest ago goes first. */
    public static final int MAX_MODELS = 8;

    /**
     * Where an actual open was read, for lineage.
     *
     * @param topic     topic
     * @param partition partition
     * @param offset    offset
     */
    public record ValueRef(String topic, int partition, long offset) {}

    /**
     * A forecast waiting for the actual of its target day.
     *
     * @param modelVersion the version that made it
     * @param targetDate   its target day
     * @param predOpen     the forecast open
     * @param baseOpen     the open of the day it was made from
     */
    public record Awaited(String modelVersion, LocalDate targetDate, double predOpen, double baseOpen) {
        public Awaited {
            Objects.requireNonNull(modelVersion, "modelVersion");
            Objects.requireNonNull(targetDate, "targetDate");
        }
    }

    /**
     * A forecast scored, with the figures of its model version after it.
     *
     * @param modelVersion the version that made it
     * @param predOpen     the forecast open
     * @param valOpen      the actual open
     * @param baseOpen     the open the forecast was made from
     * @param actual       where the actual was read, or null
     * @param error        its errors
     * @param figures      the rolling figures of the series under that version, this forecast included
     */
    public record Scored(
            String modelVersion,
            double predOpen,
            double valOpen,
            double baseOpen,
            ValueRef actual,
            ForecastError error,
            RollingAccuracy figures) {
        /** @return the day the forecast was for */
        public LocalDate targetDate() {
            return error.targetDate();
        }
    }

    private final List<Awaited> awaiting;
    private final Map<String, List<ForecastError>> errors;

    private SeriesAccuracy(List<Awaited> awaiting, Map<String, List<ForecastError>> errors) {
        this.awaiting = awaiting;
        this.errors = errors;
    }

    /** @return a series with nothing forecast or scored yet */
    public static SeriesAccuracy empty() {
        return new SeriesAccuracy(new ArrayList<>(), new LinkedHashMap<>());
    }

    /**
     * @param awaiting forecasts waiting for their actual
     * @param errors   per model version (the one scored most recently last), its errors newest first
     * @return the bookkeeping with these contents (copied)
     */
    public static SeriesAccuracy of(List<Awaited> awaiting, Map<String, List<ForecastError>> errors) {
        Map<String, List<ForecastError>> copy = new LinkedHashMap<>();
        errors.forEach((model, list) -> copy.put(model, new ArrayList<>(list)));
        return new SeriesAccuracy(new ArrayList<>(awaiting), copy);
    }

    /**
     * The series' record for {@code day} arrived: scores the forecasts waiting for it and drops those whose day the
     * series skipped.
     *
     * @return the forecasts scored, oldest model entry first
     */
    public List<Scored> actualArrived(LocalDate day, double open, ValueRef ref) {
        List<Scored> scored = new ArrayList<>(1);
        for (Iterator<Awaited> it = awaiting.iterator(); it.hasNext(); ) {
            Awaited a = it.next();
            if (a.targetDate().equals(day)) {
                scored.add(score(a, open, ref));
                it.remove();
            } else if (a.targetDate().isBefore(day)) {
                it.remove();
            }
        }
        return scored;
    }

    /**
     * A forecast is made whose day has not been seen yet: it waits for its actual. When the series has already moved
     * past its day without it (a gap), it is dropped: it can never be scored.
     *
     * @param newestDay the series' newest day now, or null when it has none
     * @return whether it waits
     */
    public boolean forecastMade(
            String modelVersion, LocalDate targetDate, double predOpen, double baseOpen, LocalDate newestDay) {
        if (newestDay != null && !targetDate.isAfter(newestDay)) {
            return false;
        }
        awaiting.removeIf(
                a -> a.modelVersion().equals(modelVersion) && a.targetDate().equals(targetDate));
        awaiting.add(new Awaited(modelVersion, targetDate, predOpen, baseOpen));
        return true;
    }

    /**
     * Scores a forecast made once the actual of its day was already known.
     *
     * @param valOpen the actual open of {@code targetDate}
     * @param ref     where it was read, or null
     * @return the forecast scored, with the figures of its model version after it
     */
    public Scored scoreKnown(
            String modelVersion, LocalDate targetDate, double predOpen, double baseOpen, double valOpen, ValueRef ref) {
        return score(new Awaited(modelVersion, targetDate, predOpen, baseOpen), valOpen, ref);
    }

    private Scored score(Awaited forecast, double valOpen, ValueRef ref) {
        ForecastError error =
                ForecastError.of(forecast.targetDate(), forecast.predOpen(), valOpen, forecast.baseOpen());
        List<ForecastError> list = errors.remove(forecast.modelVersion());
        if (list == null) {
            list = new ArrayList<>();
        }
        list.removeIf(e -> e.targetDate().equals(error.targetDate()));
        list.add(error);
        list.sort(Comparator.comparing(ForecastError::targetDate).reversed());
        LocalDate oldestKept = list.get(0).targetDate().minusDays(RollingAccuracy.LONG_DAYS - 1L);
        list.removeIf(e -> e.targetDate().isBefore(oldestKept));
        errors.put(forecast.modelVersion(), list); // last entry: the model scored most recently
        while (errors.size() > MAX_MODELS) {
            errors.remove(errors.keySet().iterator().next());
        }
        return new Scored(
                forecast.modelVersion(),
                forecast.predOpen(),
                valOpen,
                forecast.baseOpen(),
                ref,
                error,
                RollingAccuracy.of(list));
    }

    /** @return forecasts waiting for their actual */
    public List<Awaited> awaiting() {
        return List.copyOf(awaiting);
    }

    /** @return per model version (the one scored most recently last), its errors newest first */
    public Map<String, List<ForecastError>> errors() {
        Map<String, List<ForecastError>> copy = new LinkedHashMap<>();
        errors.forEach((model, list) -> copy.put(model, List.copyOf(list)));
        return copy;
    }

    /** @return whether there is nothing to remember */
    public boolean isEmpty() {
        return awaiting.isEmpty() && errors.isEmpty();
    }
}

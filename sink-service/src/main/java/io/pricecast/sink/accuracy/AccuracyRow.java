package io.pricecast.sink.accuracy;

import java.time.LocalDate;

/**
 * One row of {@code accuracy_by_model}: the rolling accuracy of one series under one model version, as scoring
 * computed it (docs/accuracy.md; the computation is the model library's {@code RollingAccuracy}).
 *
 * @param dataset        dataset
 * @param symbol         symbol
 * @param modelVersion   model version
 * @param lastTargetDate newest scored target date
 * @param scored7        scored forecasts in the 7-day window
 * @param mad7           their MAD
 * @param naiveMad7      the naive MAD over the same days
 * @param scored30       scored forecasts in the 30-day window
 * @param mad30          their MAD
 * @param naiveMad30     the naive MAD over the same days
 * @param flagged        {@code mad30 > naiveMad30}
 */
public record AccuracyRow(
        String dataset,
        String symbol,
        String modelVersion,
        LocalDate lastTargetDate,
        int scored7,
        double mad7,
        double naiveMad7,
        int scored30,
        double mad30,
        double naiveMad30,
        boolean flagged) {}

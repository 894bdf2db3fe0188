package io.pricecast.sink.chart;

import io.pricecast.sink.accuracy.AccuracyQueries;
import io.pricecast.sink.export.PredictionsCsvExport;

/**
 * What the chart page and the accuracy API serve from, once Cassandra is connected.
 *
 * @param export   the predictions CSV's query code (the series points are its rows)
 * @param pickers  datasets and symbols
 * @param accuracy the accuracy tables
 */
public record ChartBackend(PredictionsCsvExport export, ChartQueries pickers, AccuracyQueries accuracy) {}

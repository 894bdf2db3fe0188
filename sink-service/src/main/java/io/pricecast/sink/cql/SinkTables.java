package io.pricecast.sink.cql;

import io.pricecast.schemas.SharedTables;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sink's table names, as created by its {@code cql/V*.cql} files; those another module reads come from
 * {@link SharedTables}.
 */
public final class SinkTables {

    public static final String PRICES_BY_SERIES = SharedTables.PRICES_BY_SERIES;
    public static final String PREDICTIONS_BY_SERIES = SharedTables.PREDICTIONS_BY_SERIES;
    public static final String PREDICTIONS_BY_UPLOAD = "predictions_by_upload";
    public static final String SYMBOLS_BY_DATASET = SharedTables.SYMBOLS_BY_DATASET;
    public static final String REJECTIONS_BY_UPLOAD = "rejections_by_upload";
    public static final String UPLOAD_VERDICTS = SharedTables.UPLOAD_VERDICTS;

    public static final String FORECAST_ERRORS_BY_SERIES = "forecast_errors_by_series";
    public static final String ACCURACY_BY_MODEL = "accuracy_by_model";
    public static final String ACCURACY_MODELS_BY_DATASET = "accuracy_models_by_dataset";

    /** Every table the consumers write a record into, for metrics and tests. */
    public static final List<String> ALL = List.of(
            PRICES_BY_SERIES,
            PREDICTIONS_BY_SERIES,
            SYMBOLS_BY_DATASET,
            REJECTIONS_BY_UPLOAD,
            UPLOAD_VERDICTS,
            FORECAST_ERRORS_BY_SERIES,
            ACCURACY_BY_MODEL,
            ACCURACY_MODELS_BY_DATASET);

    /**
     * Created by V1, no longer written since V3: an upload's forecast count is in {@code upload_verdicts}, and the
     * forecasts of an upload's dataset are its series' rows.
     */
    public static final String RETIRED_PREDICTIONS_BY_UPLOAD = PREDICTIONS_BY_UPLOAD;

    /**
     * Every table the CQL files create: written and retired. ({@code predictions_by_id}, a pointer from a prediction id
     * to its row, was created by V1 until it was retired: a prediction id names its {@code predictions_by_series} row,
     * {@code io.pricecast.schemas.PredictionId}.)
     */
    public static final List<String> CREATED = Stream.of(ALL, List.of(RETIRED_PREDICTIONS_BY_UPLOAD))
            .flatMap(List::stream)
            .toList();

    private SinkTables() {}
}

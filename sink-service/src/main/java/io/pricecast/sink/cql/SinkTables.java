package io.pricecast.sink.cql;

import java.util.List;
import java.util.stream.Stream;

/** The sink's table names, as created by {@code cql/V1__sink_tables.cql}. */
public final class SinkTables {

    public static final String PRICES_BY_SERIES = "prices_by_series";
    public static final String PREDICTIONS_BY_SERIES = "predictions_by_series";
    public static final String PREDICTIONS_BY_UPLOAD = "predictions_by_upload";
    public static final String SYMBOLS_BY_DATASET = "symbols_by_dataset";
    public static final String REJECTIONS_BY_UPLOAD = "rejections_by_upload";

    /**
     * Created by V1, no longer written: a prediction id names its {@code predictions_by_series} row
     * ({@code io.pricecast.schemas.PredictionId}), so the pointer table only doubled the writes.
     */
    public static final String RETIRED_PREDICTIONS_BY_ID = "predictions_by_id";

    /** Every table the sink writes, for metrics and tests. */
    public static final List<String> ALL = List.of(PRICES_BY_SERIES, PREDICTIONS_BY_SERIES, PREDICTIONS_BY_UPLOAD,
            SYMBOLS_BY_DATASET, REJECTIONS_BY_UPLOAD);

    /** Every table the CQL files create, retired ones included. */
    public static final List<String> CREATED = Stream.concat(ALL.stream(), Stream.of(RETIRED_PREDICTIONS_BY_ID)).toList();

    private SinkTables() {
    }
}

package io.pricecast.sink.consume;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.RecordSource;
import io.pricecast.sink.accuracy.AccuracyMeters;
import io.pricecast.sink.cql.AccuracyWrites;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Forecasts scored by scoring-streams: stored as they are; once stored, their figures feed {@code /metrics}. */
public final class AccuracyHandler implements RecordHandler<Accuracy> {

    private final AccuracyWrites writes;
    private final AccuracyMeters gauges;

    /**
     * @param writes the prepared upserts
     * @param gauges the figures of {@code /metrics}
     */
    public AccuracyHandler(AccuracyWrites writes, AccuracyMeters gauges) {
        this.writes = writes;
        this.gauges = gauges;
    }

    @Override
    public List<CqlWrite> writes(Accuracy a, KafkaPosition position) throws InvalidRecordException {
        Checks.text(a.getDataset(), "dataset");
        Checks.text(a.getSymbol(), "symbol");
        Checks.text(a.getModelVersion(), "model_version");
        Checks.present(a.getTargetDate(), "target_date");
        Checks.present(a.getLastTargetDate(), "last_target_date");
        Checks.finite(a.getAbsError(), "abs_error");
        Checks.finite(a.getNaiveAbsError(), "naive_abs_error");
        return writes.writes(a);
    }

    @Override
    public CompletableFuture<?> afterStored(List<Accuracy> stored) {
        stored.forEach(gauges::update);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String dataset(Accuracy a) {
        return a.getDataset();
    }

    @Override
    public String symbol(Accuracy a) {
        return a.getSymbol();
    }

    @Override
    public RecordSource source(Accuracy a) {
        return RecordSource.UPLOAD;
    }
}

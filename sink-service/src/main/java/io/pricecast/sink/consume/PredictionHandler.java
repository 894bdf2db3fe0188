package io.pricecast.sink.consume;

import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.RecordSource;
import io.pricecast.schemas.RejectReason;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.PredictionWrites;
import java.util.List;

/** Predictions: every key field and the forecast itself must be there; the lineage is stored as it came. */
public final class PredictionHandler implements RecordHandler<Prediction> {

    private final PredictionWrites writes;

    /** @param writes the prepared upserts */
    public PredictionHandler(PredictionWrites writes) {
        this.writes = writes;
    }

    @Override
    public List<CqlWrite> writes(Prediction p, KafkaPosition position) throws InvalidRecordException {
        Checks.text(p.getPredictionId(), "prediction_id");
        Checks.text(p.getDataset(), "dataset");
        Checks.text(p.getSymbol(), "symbol");
        Checks.text(p.getModelVersion(), "model_version");
        Checks.present(p.getTargetDate(), "target_date");
        Checks.present(p.getBaseDate(), "base_date");
        Checks.finite(p.getPredOpen(), "pred_open");
        if (!p.getTargetDate().isAfter(p.getBaseDate())) {
            throw new InvalidRecordException(
                    RejectReason.BAD_DATE.code(),
                    "target_date",
                    "target_date " + p.getTargetDate() + " is not after base_date " + p.getBaseDate());
        }
        for (InputRef ref : p.getWindow()) {
            Checks.present(ref.getDate(), "window.date");
        }
        return writes.writes(p, position);
    }

    @Override
    public String dataset(Prediction p) {
        return p.getDataset();
    }

    @Override
    public String symbol(Prediction p) {
        return p.getSymbol();
    }

    @Override
    public RecordSource source(Prediction p) {
        return p.getUploadId() != null ? RecordSource.UPLOAD : RecordSource.CONSOLE;
    }
}

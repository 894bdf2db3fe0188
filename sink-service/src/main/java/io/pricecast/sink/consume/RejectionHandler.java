package io.pricecast.sink.consume;

import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.RejectionWrites;
import java.util.List;

/** Refused records, stored per upload with their reason. */
public final class RejectionHandler implements RecordHandler<RejectedRecord> {

    private final RejectionWrites writes;

    /** @param writes the prepared upsert */
    public RejectionHandler(RejectionWrites writes) {
        this.writes = writes;
    }

    @Override
    public List<CqlWrite> writes(RejectedRecord r, KafkaPosition position) throws InvalidRecordException {
        Checks.text(r.getDataset(), "dataset");
        Checks.text(r.getReason(), "reason");
        Checks.present(r.getRejectedAt(), "rejected_at");
        return writes.writes(r, position);
    }

    @Override
    public String dataset(RejectedRecord r) {
        return r.getDataset();
    }

    @Override
    public String symbol(RejectedRecord r) {
        return r.getSymbol();
    }

    @Override
    public RecordSource source(RejectedRecord r) {
        return r.getSource();
    }
}

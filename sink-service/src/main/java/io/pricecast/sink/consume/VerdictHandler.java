package io.pricecast.sink.consume;

import io.pricecast.avro.RecordSource;
import io.pricecast.avro.UploadVerdicts;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.VerdictWrites;
import java.util.List;

/** How scoring judged an upload's records: stored for ingest to read into the upload's status. */
public final class VerdictHandler implements RecordHandler<UploadVerdicts> {

    private final VerdictWrites writes;

    /** @param writes the prepared upsert */
    public VerdictHandler(VerdictWrites writes) {
        this.writes = writes;
    }

    @Override
    public List<CqlWrite> writes(UploadVerdicts v, KafkaPosition position) throws InvalidRecordException {
        Checks.text(v.getUploadId(), "upload_id");
        Checks.text(v.getDataset(), "dataset");
        Checks.present(v.getUpdatedAt(), "updated_at");
        return writes.writes(v);
    }

    @Override
    public String dataset(UploadVerdicts v) {
        return v.getDataset();
    }

    @Override
    public String symbol(UploadVerdicts v) {
        return null;
    }

    @Override
    public RecordSource source(UploadVerdicts v) {
        return RecordSource.UPLOAD;
    }
}

package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.UploadVerdicts;
import java.util.List;

/**
 * The upsert of one {@code UploadVerdicts} record into {@code upload_verdicts}: the counts are cumulative, so the
 * newest record of an upload and partition is its row (within a polled batch only the last is written).
 */
public final class VerdictWrites {

    private final PreparedStatement insert;

    /**
     * @param session  the session
     * @param keyspace keyspace (with the V3 tables)
     */
    public VerdictWrites(CqlSession session, String keyspace) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.UPLOAD_VERDICTS
                + " (upload_id, clean_partition, dataset, judged, accepted, duplicates, rejected, forecasts, not_forecast,"
                + " scoring_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /**
     * @param v an upload's counts on one partition
     * @return its upsert
     */
    public List<CqlWrite> writes(UploadVerdicts v) {
        return List.of(new CqlWrite(
                SinkTables.UPLOAD_VERDICTS,
                insert.bind(
                                v.getUploadId(),
                                v.getPartition(),
                                v.getDataset(),
                                v.getJudged(),
                                v.getAccepted(),
                                v.getDuplicates(),
                                v.getRejected(),
                                v.getForecasts(),
                                v.getNotForecast(),
                                v.getScoringVersion(),
                                v.getUpdatedAt())
                        .setIdempotent(true),
                List.of(SinkTables.UPLOAD_VERDICTS, v.getUploadId(), v.getPartition())));
    }
}

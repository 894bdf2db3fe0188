package io.pricecast.ingest.publish;

import io.pricecast.avro.RecordSource;
import java.time.Instant;

/**
 * Where a batch of records came from, stamped on every record published for it.
 *
 * @param source      upload or console
 * @param dataset     the dataset
 * @param uploadId    the upload id (uploads), else null
 * @param fileSha256  the file's sha256 (uploads), else null
 * @param rawTopic    the raw topic (console), else null
 * @param version     ingest code version
 * @param receivedAt  when the upload or message was received
 */
public record Lineage(
        RecordSource source,
        String dataset,
        String uploadId,
        String fileSha256,
        String rawTopic,
        String version,
        Instant receivedAt) {

    /** @return the lineage of an upload's records */
    public static Lineage upload(
            String dataset, String uploadId, String fileSha256, String version, Instant receivedAt) {
        return new Lineage(RecordSource.UPLOAD, dataset, uploadId, fileSha256, null, version, receivedAt);
    }

    /** @return the lineage of console messages of one raw topic */
    public static Lineage console(String dataset, String rawTopic, String version, Instant receivedAt) {
        return new Lineage(RecordSource.CONSOLE, dataset, null, null, rawTopic, version, receivedAt);
    }
}

package io.pricecast.ingest.upload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of the {@code uploads} table.
 *
 * @param uploadId      the id
 * @param dataset       the dataset
 * @param fileSha256    the file's sha256
 * @param fileBytes     the file's size
 * @param status        where it is
 * @param error         why it failed, when it did
 * @param receivedAt    when it was first received (stamped on every record, on every attempt)
 * @param startedAt     when the last attempt started publishing
 * @param finishedAt    when it was published or failed
 * @param ingestVersion code version of the attempt
 * @param total         records read, once published
 * @param accepted      records published to the clean topic
 * @param duplicates    exact repeats, not published
 * @param rejected      rejections per reason code
 * @param sharedTickers notes on tickers shared by several coins
 * @param attempts      how many times it was received for publishing
 * @param owner         the transactional id of the upload worker that publishes (or published) it, null before any
 */
public record UploadRecord(
        String uploadId,
        String dataset,
        String fileSha256,
        long fileBytes,
        UploadStatus status,
        String error,
        Instant receivedAt,
        Instant startedAt,
        Instant finishedAt,
        String ingestVersion,
        Long total,
        Long accepted,
        Long duplicates,
        Map<String, Long> rejected,
        List<String> sharedTickers,
        int attempts,
        String owner) {}

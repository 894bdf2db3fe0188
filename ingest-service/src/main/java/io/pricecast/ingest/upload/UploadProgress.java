package io.pricecast.ingest.upload;

import io.pricecast.ingest.publish.ProducerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * How many of an upload's records are committed, kept in Kafka itself so that it commits atomically
 * with them: each upload transaction also commits an "offset" (the number of records published so far)
 * for the upload's own consumer group, through {@code sendOffsetsToTransaction}, exactly as a
 * consume-transform-produce loop commits its input position. Either both the records and the new count
 * become visible, or neither does.
 */
public final class UploadProgress {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final TopicPartition anchor;

    /**
     * @param admin      the process's admin client
     * @param cleanTopic the clean topic; its partition 0 is the key the count is stored under
     */
    public UploadProgress(Admin admin, String cleanTopic) {
        this.admin = admin;
        this.anchor = new TopicPartition(cleanTopic, 0);
    }

    /** @return the group that holds the upload's count (also its transactional id) */
    public static String group(String uploadId) {
        return ProducerSettings.UPLOAD_TRANSACTIONAL_PREFIX + uploadId;
    }

    /** @return the group metadata to pass to {@code sendOffsetsToTransaction} */
    public ConsumerGroupMetadata groupMetadata(String uploadId) {
        return new ConsumerGroupMetadata(group(uploadId));
    }

    /** @return the offsets map that records {@code published} records as committed */
    public Map<TopicPartition, OffsetAndMetadata> marker(long published) {
        return Map.of(anchor, new OffsetAndMetadata(published));
    }

    /**
     * Reads the committed count, waiting for any transaction still pending on it (call after
     * {@code initTransactions}, which aborts the transaction of a dead attempt).
     *
     * @return records of the upload already committed, 0 when none
     */
    public long committed(String uploadId) {
        String group = group(uploadId);
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                            Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(anchor))),
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(group)
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata committed = offsets.get(anchor);
            return committed == null ? 0 : committed.offset();
        } catch (ExecutionException e) {
            throw new KafkaException(
                    "cannot read the committed progress of upload " + uploadId + " (group " + group + ")",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("timed out reading the committed progress of upload " + uploadId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted reading the committed progress of upload " + uploadId, e);
        }
    }

    /** Deletes the upload's progress group once its completion is recorded in Cassandra. */
    public void forget(String uploadId) {
        try {
            admin.deleteConsumerGroups(List.of(group(uploadId)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw new KafkaException("cannot delete the progress group of upload " + uploadId, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("timed out deleting the progress group of upload " + uploadId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted deleting the progress group of upload " + uploadId, e);
        }
    }
}

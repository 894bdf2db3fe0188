package io.pricecast.ingest.upload;

import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.publish.Lineage;
import io.pricecast.ingest.publish.RecordFactory;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.batch.BatchOutcomes;
import io.pricecast.schemas.SeriesKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes one upload's outcomes in a deterministic sequence, in chunked Kafka transactions. Each commit
 * also commits the number of records published so far ({@link UploadProgress}); a resumed attempt skips
 * exactly that many records of the (identical) sequence, so every record is published once.
 *
 * <p>A transaction commits after {@code recordsPerTransaction} records or once it is {@code maxAge} old,
 * checked on every record read ({@link #tick()}), so a large, mostly clean file read for minutes never
 * holds a transaction open past its timeout.
 */
final class UploadPublisher implements BatchOutcomes {

    private final Producer<String, byte[]> producer;
    private final ValueSerializers serializers;
    private final UploadProgress progress;
    private final String uploadId;
    private final Lineage lineage;
    private final String cleanTopic;
    private final String rejectedTopic;
    private final int recordsPerTransaction;
    private final long maxAgeNanos;
    private final long resumeFrom;
    private final AtomicLong committedView;
    private final int sampleSize;
    private final IngestMeters metrics;

    private final PriorityQueue<Rejection> sample =
            new PriorityQueue<>(Comparator.comparingLong(Rejection::line).reversed());
    private long sequence;
    private long inTransaction;
    private boolean open;
    private long openedAt;
    private long seriesPassStartedAt;

    UploadPublisher(
            Producer<String, byte[]> producer,
            ValueSerializers serializers,
            UploadProgress progress,
            String uploadId,
            Lineage lineage,
            String cleanTopic,
            String rejectedTopic,
            int recordsPerTransaction,
            Duration maxAge,
            long resumeFrom,
            AtomicLong committedView,
            int sampleSize,
            IngestMeters metrics) {
        this.producer = producer;
        this.serializers = serializers;
        this.progress = progress;
        this.uploadId = uploadId;
        this.lineage = lineage;
        this.cleanTopic = cleanTopic;
        this.rejectedTopic = rejectedTopic;
        this.recordsPerTransaction = recordsPerTransaction;
        this.maxAgeNanos = maxAge.toNanos();
        this.resumeFrom = resumeFrom;
        this.committedView = committedView;
        this.sampleSize = sampleSize;
        this.metrics = metrics;
        committedView.set(resumeFrom);
    }

    @Override
    public void accepted(SeriesKey series, PriceRow row) {
        markSeriesPass();
        metrics.accepted(IngestMeters.Intake.UPLOAD, 1);
        if (skip()) {
            return;
        }
        byte[] value = serializers.clean().serialize(cleanTopic, RecordFactory.clean(lineage, series, row, null, null));
        send(new ProducerRecord<>(cleanTopic, SeriesKeys.of(lineage.dataset(), series.id()), value));
    }

    @Override
    public void duplicate(SeriesKey series, PriceRow row) {
        markSeriesPass();
        metrics.duplicates(IngestMeters.Intake.UPLOAD, 1);
    }

    @Override
    public void rejected(Rejection rejection) {
        metrics.rejected(IngestMeters.Intake.UPLOAD, rejection.reason(), 1);
        if (sampleSize > 0) {
            sample.add(rejection);
            if (sample.size() > sampleSize) {
                sample.poll();
            }
        }
        if (skip()) {
            return;
        }
        byte[] value =
                serializers.rejected().serialize(rejectedTopic, RecordFactory.rejected(lineage, rejection, null, null));
        send(new ProducerRecord<>(rejectedTopic, SeriesKeys.seriesUnknown(lineage.dataset()), value));
    }

    /** Commits the open transaction when it has grown old; called for every record read. */
    void tick() {
        if (open && System.nanoTime() - openedAt > maxAgeNanos) {
            commit();
        }
    }

    /** Commits the last transaction: afterwards every record of the upload is on the topics. */
    void finish() {
        if (open) {
            commit();
        }
    }

    /** Aborts the open transaction, if any. */
    void abort() {
        if (open) {
            open = false;
            producer.abortTransaction();
        }
    }

    /** @return when the cleaner started passing rows on in series order (reading and sorting ended), or 0 */
    long seriesPassStartedAt() {
        return seriesPassStartedAt;
    }

    private void markSeriesPass() {
        if (seriesPassStartedAt == 0) {
            seriesPassStartedAt = System.nanoTime();
        }
    }

    /** @return the lowest-line rejections, in line order */
    List<Rejection> sample() {
        List<Rejection> out = new ArrayList<>(sample);
        out.sort(Comparator.comparingLong(Rejection::line));
        return out;
    }

    private boolean skip() {
        if (sequence < resumeFrom) {
            sequence++;
            return true;
        }
        return false;
    }

    private void send(ProducerRecord<String, byte[]> record) {
        if (!open) {
            producer.beginTransaction();
            open = true;
            openedAt = System.nanoTime();
        }
        producer.send(record);
        sequence++;
        inTransaction++;
        if (inTransaction >= recordsPerTransaction) {
            commit();
        }
    }

    private void commit() {
        producer.sendOffsetsToTransaction(progress.marker(sequence), progress.groupMetadata(uploadId));
        producer.commitTransaction();
        open = false;
        inTransaction = 0;
        committedView.set(sequence);
    }
}

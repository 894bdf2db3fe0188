package io.pricecast.ingest.upload;

import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.publish.Lineage;
import io.pricecast.input.LineOutcome;
import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.batch.CleanReport;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.input.csv.PriceFileException;
import io.pricecast.runtime.LogContext;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one received upload with its worker's reused transactional producer: cleans the stored file with
 * price-input's per-record and within-file rules and publishes every outcome exactly once (see
 * {@link UploadPublisher}), then records the first rejected lines and the counts, and marks the upload published. Ingest keeps no series history: scoring judges each published
 * record against its series and the upload's status reads its verdicts ({@link UploadVerdictsView}).
 */
final class UploadJob {

    private static final Logger LOG = LoggerFactory.getLogger(UploadJob.class);
    private static final long NANOS_PER_MILLI = 1_000_000;

    /** Live progress of a running job, for its status. */
    record Live(AtomicLong read, AtomicLong committed) {
        Live() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    private final UploadContext context;
    private final String uploadId;
    private final String dataset;
    private final ReceivedFile file;
    private final Instant receivedAt;
    private final Live live;
    /** The transactional id of the producer this attempt publishes with, once it claimed the upload. */
    private String owner;

    UploadJob(
            UploadContext context, String uploadId, String dataset, ReceivedFile file, Instant receivedAt, Live live) {
        this.context = context;
        this.uploadId = uploadId;
        this.dataset = dataset;
        this.file = file;
        this.receivedAt = receivedAt;
        this.live = live;
    }

    /**
     * Runs the job to its end on upload worker {@code worker}, recording the outcome in the upload's row; never throws.
     * The upload is first claimed for the worker's producer: an attempt that finds it claimed since it read it stops
     * (another attempt has it); one that takes it over from another producer fences that producer.
     */
    void run(int worker) {
        try (LogContext ignored = LogContext.upload(uploadId, dataset)) {
            runLogged(worker);
        }
    }

    private void runLogged(int worker) {
        UploadStore store = context.store();
        boolean resumable = false;
        try {
            String me = context.producers().transactionalId(worker);
            Optional<UploadRecord> row = store.find(uploadId);
            String previous = row.map(UploadRecord::owner).orElse(null);
            if (!store.claim(uploadId, previous, me)) {
                resumable = true;
                LOG.info("upload {}: claimed by another attempt meanwhile; this one stops", uploadId);
                return;
            }
            owner = me;
            boolean firstAttempt =
                    previous == null && row.map(UploadRecord::attempts).orElse(1) <= 1;
            if (previous != null && !previous.equals(me)) {
                context.producers().fence(previous);
            } else if (previous == null && !firstAttempt) {
                // an attempt of a build that published with one producer per upload, under the upload's own id
                context.producers().fence(UploadProgress.group(uploadId));
            }
            store.publishing(uploadId, Instant.now());
            CleanReport report = publish(worker, firstAttempt);
            store.published(uploadId, report, Instant.now());
            context.metrics().upload(IngestMeters.Upload.PUBLISHED);
            forgetProgress();
            LOG.info(
                    "upload {} ({} of dataset {}): published {}",
                    uploadId,
                    file.sha256(),
                    dataset,
                    report.counts().toJson());
        } catch (ProducerFencedException e) {
            resumable = true;
            context.producers().reset(worker);
            LOG.warn("upload {}: another attempt took it over (producer fenced); this attempt stops", uploadId);
        } catch (PriceFileException e) {
            fail("the file cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException | IOException e) {
            // kept: a restart on this state directory resumes it, as does sending the same file again
            resumable = true;
            context.producers().reset(worker);
            fail(
                    "publishing failed (send the same file again, or restart the service, to resume): "
                            + e.getMessage(),
                    e);
        } catch (Error e) {
            fail("publishing failed (send the same file again to resume): " + e, e);
            throw e;
        } finally {
            if (!resumable) {
                deleteFile();
            }
        }
    }

    /**
     * @param firstAttempt whether no attempt published anything before (nothing committed: no progress to read)
     */
    private CleanReport publish(int worker, boolean firstAttempt) throws IOException {
        IngestConfig config = context.config();
        long setUp = System.nanoTime();
        Producer<String, byte[]> producer = context.producers().of(worker);
        long resumeFrom = firstAttempt ? 0 : context.progress().committed(uploadId);
        if (resumeFrom > 0) {
            LOG.info("upload {}: resuming after {} records committed by an earlier attempt", uploadId, resumeFrom);
        }
        UploadPublisher publisher = new UploadPublisher(
                producer,
                context.serializers(),
                context.progress(),
                uploadId,
                Lineage.upload(dataset, uploadId, file.sha256(), context.version(), receivedAt),
                config.cleanTopic(),
                config.rejectedTopic(),
                config.recordsPerTransaction(),
                config.maxTransactionAge(),
                resumeFrom,
                live.committed(),
                config.rejectedSample(),
                context.metrics());
        CleanReport report;
        long started = System.nanoTime();
        try (PriceCsvReader reader = PriceCsvReader.open(file.path(), config.readLimits())) {
            BatchCleaner cleaner =
                    new BatchCleaner(new BatchCleaner.Settings(config.maxRowsInMemory(), context.spillDirectory()));
            report = cleaner.clean(ticking(reader, publisher), publisher);
            publisher.finish();
        } catch (RuntimeException | IOException e) {
            abortQuietly(publisher, e);
            throw e;
        }
        long published = System.nanoTime();
        context.store().saveRejections(uploadId, publisher.sample());
        long sortedAt = publisher.seriesPassStartedAt() == 0 ? published : publisher.seriesPassStartedAt();
        LOG.info(
                "upload {}: producer and progress {} ms; read, validate and sort {} ms; series pass and publish {} ms;"
                        + " report {} ms",
                uploadId,
                (started - setUp) / NANOS_PER_MILLI,
                (sortedAt - started) / NANOS_PER_MILLI,
                (published - sortedAt) / NANOS_PER_MILLI,
                (System.nanoTime() - published) / NANOS_PER_MILLI);
        return report;
    }

    private Iterator<LineOutcome> ticking(PriceCsvReader reader, UploadPublisher publisher) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                publisher.tick();
                return reader.hasNext();
            }

            @Override
            public LineOutcome next() {
                live.read().incrementAndGet();
                return reader.next();
            }
        };
    }

    private static void abortQuietly(UploadPublisher publisher, Exception cause) {
        try {
            publisher.abort();
        } catch (RuntimeException abortFailure) {
            // the next attempt's initTransactions aborts it in any case; keep the first cause
            cause.addSuppressed(abortFailure);
        }
    }

    private void fail(String error, Throwable cause) {
        LOG.error("upload {} ({} of dataset {}) failed: {}", uploadId, file.sha256(), dataset, error, cause);
        context.metrics().upload(IngestMeters.Upload.FAILED);
        try {
            if (!context.store().failed(uploadId, owner, error, Instant.now())) {
                LOG.warn("upload {}: another attempt took it over; its status is that attempt's", uploadId);
            }
        } catch (RuntimeException storeFailure) {
            LOG.error("upload {}: cannot record its failure either", uploadId, storeFailure);
        }
    }

    /** The upload is published and recorded; its progress group is only clutter now, so a failure is a warning. */
    private void forgetProgress() {
        try {
            context.progress().forget(uploadId);
        } catch (KafkaException e) {
            LOG.warn(
                    "upload {}: published, but its progress group {} could not be deleted (it expires with the broker's"
                            + " offsets retention)",
                    uploadId,
                    UploadProgress.group(uploadId),
                    e);
        }
    }

    private void deleteFile() {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            LOG.warn("upload {}: cannot delete its stored body {}", uploadId, file.path(), e);
        }
    }
}

package io.pricecast.ingest.upload;

import io.pricecast.ingest.metrics.IngestMeters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes uploads in and runs their publishing in the background: stores the body (hashing it), derives
 * the upload id, answers a repeat from the upload's record, and starts (or resumes) publishing otherwise.
 */
public final class Uploads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** A complete, hashed body is stored as {@code <upload id>.csv}; partial ones keep a temporary name. */
    private static final String STORED_SUFFIX = ".csv";

    private final UploadContext context;
    private final Path incoming;
    private final ExecutorService workers;
    private final Map<String, UploadJob.Live> active = new ConcurrentHashMap<>();
    /** The index of the upload worker a thread is (its producer). */
    private static final ThreadLocal<Integer> WORKER = new ThreadLocal<>();

    /**
     * What a POST got.
     *
     * @param uploadId the upload id
     * @param dataset  its dataset
     * @param status   its status now
     * @param repeat   whether this file was already received for this dataset (nothing new is published)
     */
    public record Accepted(String uploadId, String dataset, UploadStatus status, boolean repeat) {}

    /**
     * What a GET shows.
     *
     * @param record     the upload's row
     * @param rejections its first rejected lines
     * @param running    whether this instance is publishing it now
     * @param read       records read so far by the running attempt
     * @param committed  records committed so far
     * @param verdicts   how scoring judged its published records so far
     */
    public record View(
            UploadRecord record,
            List<UploadStore.StoredRejection> rejections,
            boolean running,
            long read,
            long committed,
            UploadVerdictsView.Verdicts verdicts) {}

    Uploads(UploadContext context, Path stateDir) {
        this.context = context;
        this.incoming = stateDir.resolve("uploads");
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(context.config().uploadWorkers(), r -> {
            int index = threads.getAndIncrement();
            Thread t = new Thread(
                    () -> {
                        WORKER.set(index);
                        r.run();
                    },
                    "upload-worker-" + (index + 1));
            t.setDaemon(false);
            return t;
        });
    }

    /**
     * @param context  shared job context
     * @param stateDir the service's state directory (bodies are stored under {@code uploads/})
     * @return the upload front
     */
    public static Uploads create(UploadContext context, Path stateDir) {
        return new Uploads(context, stateDir);
    }

    /**
     * Receives a body and starts publishing it unless this dataset already has this file.
     *
     * @param dataset        the requested dataset, or empty for one of the file's own
     * @param body           the request body, streamed
     * @param declaredLength Content-Length, or -1
     * @return what happened
     * @throws UploadTooLargeException when the body is over the limit
     */
    public Accepted accept(Optional<String> dataset, InputStream body, long declaredLength) throws IOException {
        dataset.ifPresent(UploadId::checkDataset);
        ReceivedFile file;
        try {
            file = ReceivedFile.receive(
                    body, incoming, declaredLength, context.config().maxUploadBytes());
        } catch (UploadTooLargeException e) {
            context.metrics().upload(IngestMeters.Upload.TOO_LARGE);
            throw e;
        }
        String name = dataset.orElseGet(() -> UploadId.defaultDataset(file.sha256()));
        String uploadId = UploadId.of(name, file.sha256());
        Optional<UploadRecord> existing = context.store().find(uploadId);
        if (existing.isPresent() && existing.get().status() == UploadStatus.PUBLISHED) {
            return repeat(file, uploadId, name, UploadStatus.PUBLISHED);
        }
        UploadJob.Live live = new UploadJob.Live();
        if (active.putIfAbsent(uploadId, live) != null) {
            return repeat(
                    file, uploadId, name, existing.map(UploadRecord::status).orElse(UploadStatus.RECEIVED));
        }
        try {
            Instant receivedAt = existing.map(UploadRecord::receivedAt).orElseGet(Instant::now);
            int attempts = existing.map(UploadRecord::attempts).orElse(0) + 1;
            Path stored = Files.move(
                    file.path(), incoming.resolve(uploadId + STORED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
            ReceivedFile kept = new ReceivedFile(stored, file.sha256(), file.bytes());
            context.store().received(uploadId, name, kept, receivedAt, context.version(), attempts);
            context.metrics().upload(IngestMeters.Upload.RECEIVED);
            LOG.info(
                    "upload {}: {} bytes, sha256 {}, dataset {}, attempt {}",
                    uploadId,
                    file.bytes(),
                    file.sha256(),
                    name,
                    attempts);
            start(new UploadJob(context, uploadId, name, kept, receivedAt, live), uploadId);
            return new Accepted(uploadId, name, UploadStatus.RECEIVED, existing.isPresent());
        } catch (RuntimeException | IOException e) {
            active.remove(uploadId);
            Files.deleteIfExists(file.path());
            throw e;
        }
    }

    /**
     * Start-up housekeeping: deletes bodies whose receipt was cut short, and resumes every upload whose
     * complete body is still stored here but which is not published (the instance died while publishing
     * it), so it completes without waiting for the client to send it again.
     *
     * @return the upload ids resumed
     */
    public List<String> resumeInterrupted() throws IOException {
        if (!Files.isDirectory(incoming)) {
            return List.of();
        }
        List<Path> stored;
        try (var files = Files.list(incoming)) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        List<String> resumed = new java.util.ArrayList<>();
        for (Path path : stored) {
            String name = path.getFileName().toString();
            String id = name.endsWith(STORED_SUFFIX) ? name.substring(0, name.length() - STORED_SUFFIX.length()) : "";
            Optional<UploadRecord> record =
                    UploadId.looksValid(id) ? context.store().find(id) : Optional.empty();
            if (record.isEmpty() || record.get().status() == UploadStatus.PUBLISHED) {
                LOG.info("deleting {} left in {} (a cut-short receipt or a finished upload)", name, incoming);
                Files.deleteIfExists(path);
                continue;
            }
            UploadRecord r = record.get();
            UploadJob.Live live = new UploadJob.Live();
            if (active.putIfAbsent(id, live) == null) {
                LOG.info(
                        "upload {}: resuming at start-up ({} of dataset {} was {})",
                        id,
                        r.fileSha256(),
                        r.dataset(),
                        r.status().code());
                start(
                        new UploadJob(
                                context,
                                id,
                                r.dataset(),
                                new ReceivedFile(path, r.fileSha256(), r.fileBytes()),
                                r.receivedAt(),
                                live),
                        id);
                resumed.add(id);
            }
        }
        return resumed;
    }

    /** @return the upload's status, if this id was ever received */
    public Optional<View> status(String uploadId) {
        return context.store().find(uploadId).map(record -> {
            UploadJob.Live live = active.get(uploadId);
            boolean published = record.status() == UploadStatus.PUBLISHED;
            return new View(
                    record,
                    context.store().rejections(uploadId, context.config().rejectedSample()),
                    live != null,
                    live == null ? 0 : live.read().get(),
                    live == null ? 0 : live.committed().get(),
                    published ? context.verdicts().of(uploadId) : UploadVerdictsView.Verdicts.NONE);
        });
    }

    /** @return uploads this instance is publishing now */
    public int running() {
        return active.size();
    }

    private void start(UploadJob job, String uploadId) {
        workers.execute(() -> {
            try {
                job.run(WORKER.get());
            } finally {
                active.remove(uploadId);
            }
        });
    }

    private Accepted repeat(ReceivedFile file, String uploadId, String dataset, UploadStatus status)
            throws IOException {
        Files.deleteIfExists(file.path());
        context.metrics().upload(IngestMeters.Upload.REPEATED);
        return new Accepted(uploadId, dataset, status, true);
    }

    /**
     * Stops taking work and waits a while for running uploads; unfinished ones resume on a retry. Then closes the
     * workers' producers.
     */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "{} uploads still publishing at shutdown; they resume when their files are sent again",
                        active.size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        } finally {
            context.producers().close();
        }
    }
}

package io.pricecast.ingest.upload;

import io.pricecast.ingest.publish.ProducerSettings;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.metrics.ServiceMetrics;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload workers' transactional producers: one per worker, created and initialised once and reused by every
 * upload that worker publishes, so an upload does not pay a producer's start and {@code initTransactions}. A worker's
 * transactional id, {@code pricecast-ingest-upload-<instance>-w<worker>}, is stable across restarts: a restarted
 * instance fences its own zombies. An upload records the id of the worker publishing it ({@code uploads.owner}); an
 * attempt that takes an upload over fences that id first ({@link #fence}), so the earlier owner, alive or not, can
 * commit nothing more of it.
 */
public final class UploadProducers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadProducers.class);

    private final KafkaAccess kafka;
    private final String instanceId;
    private final Duration transactionTimeout;
    private final ServiceMetrics metrics;
    private final Producer<String, byte[]>[] producers;
    private final ServiceMetrics.Binding[] meters;

    /**
     * @param metrics where each producer's client meters go while it is open
     * @param workers the number of upload workers, one producer each
     */
    @SuppressWarnings("unchecked")
    public UploadProducers(
            KafkaAccess kafka, String instanceId, Duration transactionTimeout, int workers, ServiceMetrics metrics) {
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.transactionTimeout = transactionTimeout;
        this.metrics = metrics;
        this.producers = new Producer[workers];
        this.meters = new ServiceMetrics.Binding[workers];
    }

    /** @return the transactional id of a worker's producer */
    String transactionalId(int worker) {
        return ProducerSettings.UPLOAD_TRANSACTIONAL_PREFIX + instanceId + "-w" + worker;
    }

    /** @return the worker's producer, initialised for transactions (created on first use, or after {@link #reset}) */
    synchronized Producer<String, byte[]> of(int worker) {
        if (producers[worker] == null) {
            Producer<String, byte[]> p = new KafkaProducer<>(
                    ProducerSettings.transactional(kafka, transactionalId(worker), transactionTimeout));
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producers[worker] = p;
            meters[worker] = metrics.kafkaClient(p);
        }
        return producers[worker];
    }

    /** Closes a worker's producer after a failure (its transaction is aborted); the next upload gets a new one. */
    synchronized void reset(int worker) {
        Producer<String, byte[]> p = producers[worker];
        producers[worker] = null;
        if (meters[worker] != null) {
            meters[worker].close();
            meters[worker] = null;
        }
        if (p != null) {
            try {
                p.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the producer of upload worker {} failed", worker, e);
            }
        }
    }

    /**
     * Fences a transactional id: any producer still using it (an earlier owner of an upload, alive, hung or dead)
     * can commit no further transaction, and its open one is aborted.
     */
    void fence(String transactionalId) {
        try (Producer<String, byte[]> p =
                new KafkaProducer<>(ProducerSettings.transactional(kafka, transactionalId, transactionTimeout))) {
            p.initTransactions();
        }
        LOG.info("fenced the uploads of transactional id {}", transactionalId);
    }

    @Override
    public synchronized void close() {
        for (int w = 0; w < producers.length; w++) {
            reset(w);
        }
    }
}

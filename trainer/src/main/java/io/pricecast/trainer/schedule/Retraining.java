package io.pricecast.trainer.schedule;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.trainer.TrainingJob;
import io.pricecast.trainer.data.CassandraPrices;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.fit.TrainingConfig;
import io.pricecast.trainer.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining on the weekly schedule and on demand, one run at a time, on one background thread: reads the
 * dataset's stored prices, trains, publishes, and promotes by the configured policy (default: only when not
 * worse than the active model). A failed run publishes nothing; its error is kept for {@link #status()}.
 */
public final class Retraining implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);

    private final WeeklySchedule schedule;
    private final CqlSession session;
    private final String keyspace;
    private final ModelRegistry registry;
    private final String dataset;
    private final TrainingConfig config;
    private final TrainingJob.Promotion promotion;
    private final Path outDir;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retraining");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Map<String, Object>> last = new AtomicReference<>(Map.of("state", "never run"));
    private volatile boolean running;
    private volatile Instant next;

    public Retraining(WeeklySchedule schedule, CqlSession session, String keyspace, ModelRegistry registry, String dataset,
                      TrainingConfig config, TrainingJob.Promotion promotion, Path outDir, Clock clock) {
        this.schedule = schedule;
        this.session = session;
        this.keyspace = keyspace;
        this.registry = registry;
        this.dataset = dataset;
        this.config = config;
        this.promotion = promotion;
        this.outDir = outDir;
        this.clock = clock;
    }

    /** Arms the schedule (no-op when it is off). */
    public Retraining start() {
        scheduleNext();
        return this;
    }

    private void scheduleNext() {
        if (!schedule.enabled()) {
            return;
        }
        next = schedule.nextAfter(clock.instant());
        long delay = Math.max(0, next.toEpochMilli() - clock.millis());
        executor.schedule(() -> {
            runNow("scheduler", "weekly schedule " + schedule);
            scheduleNext();
        }, delay, TimeUnit.MILLISECONDS);
        LOG.info("next scheduled retraining at {}", next);
    }

    /**
     * Queues a run now.
     *
     * @return false when one is already running
     */
    public synchronized boolean requestNow(String actor, String reason) {
        if (running) {
            return false;
        }
        running = true;
        executor.execute(() -> runNow(actor, reason));
        return true;
    }

    private void runNow(String actor, String reason) {
        running = true;
        Instant started = clock.instant();
        String version = TrainingJob.newVersionId(started);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", version);
        status.put("started_at", started.toString());
        status.put("actor", actor);
        status.put("reason", reason);
        status.put("state", "running");
        last.set(Map.copyOf(status));
        try {
            TrainingData data = new CassandraPrices(session, keyspace).read(dataset, List.of(),
                    LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31), LOG::info);
            TrainingJob.Report report = TrainingJob.run(data, config, version, registry, outDir, promotion, actor,
                    CodeVersion.current(), line -> LOG.info("train {}: {}", version, line));
            status.put("state", "done");
            status.put("sha256", report.outcome().bundle().contentSha256());
            status.put("decision", report.decision());
        } catch (RuntimeException | java.io.IOException e) {
            LOG.error("retraining {} failed; nothing was published or promoted", version, e);
            status.put("state", "failed");
            status.put("error", String.valueOf(e.getMessage()));
        } finally {
            status.put("finished_at", clock.instant().toString());
            last.set(Map.copyOf(status));
            running = false;
        }
    }

    /** The last run and the next scheduled one. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schedule", schedule.toString());
        out.put("next_run", next == null ? null : next.toString());
        out.put("dataset", dataset);
        out.put("promotion", promotion.name().toLowerCase().replace('_', '-'));
        out.put("running", running);
        out.put("last", last.get());
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

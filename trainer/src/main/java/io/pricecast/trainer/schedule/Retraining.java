package io.pricecast.trainer.schedule;

import io.pricecast.trainer.TrainingJob;
import io.pricecast.trainer.cli.TrainCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining on the weekly schedule and on demand, one run at a time. Each run is {@code ./pricecast train} in a
 * child JVM (the same classpath and settings): a fresh process is what the determinism guarantee covers
 * (docs/model-lifecycle.md), and a training's memory is returned when it ends. The child reads the dataset's
 * stored prices, trains, publishes, and promotes by the configured policy (default: only when not worse than the
 * active model). A failed run publishes nothing; its error is kept for {@link #status()}.
 */
public final class Retraining implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
    /** Heap of the training child ({@value #HEAP_VARIABLE}); 10,000 symbols x 1 year need about 1 GB. */
    public static final String HEAP_VARIABLE = "PRICECAST_TRAIN_HEAP";

    private final WeeklySchedule schedule;
    private final Map<String, String> env;
    private final String dataset;
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

    /**
     * @param env the child's environment (the stack's addresses: the same variables as every service)
     */
    public Retraining(
            WeeklySchedule schedule,
            Map<String, String> env,
            String dataset,
            TrainingJob.Promotion promotion,
            Path outDir,
            Clock clock) {
        this.schedule = schedule;
        this.env = Map.copyOf(env);
        this.dataset = dataset;
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
        executor.schedule(
                () -> {
                    if (!running) {
                        running = true;
                        runNow("scheduler", "weekly schedule " + schedule);
                    }
                    scheduleNext();
                },
                delay,
                TimeUnit.MILLISECONDS);
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
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + env.getOrDefault(HEAP_VARIABLE, "2g"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    TrainCommand.class.getName(),
                    "--dataset",
                    dataset,
                    "--version-id",
                    version,
                    "--promote",
                    promotion.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    "--actor",
                    actor,
                    "--out",
                    outDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> childEnv = new HashMap<>(env);
            childEnv.putIfAbsent("MKL_CBWR", "COMPATIBLE,STRICT");
            childEnv.putIfAbsent("MKL_NUM_THREADS", "1");
            childEnv.putIfAbsent("OMP_NUM_THREADS", "1");
            builder.environment().putAll(childEnv);
            LOG.info("retraining {} ({}: {}) on dataset {}", version, actor, reason, dataset);
            Process process = builder.start();
            String lastLine = "";
            try (var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    LOG.info("train {}: {}", version, line);
                    if (!line.isBlank() && !line.startsWith("[W")) {
                        lastLine = line;
                    }
                }
            }
            int exit = process.waitFor();
            if (exit == 0) {
                status.put("state", "done");
                status.put("result", lastLine);
            } else {
                LOG.error("retraining {} failed (exit {}): {}; nothing was promoted", version, exit, lastLine);
                status.put("state", "failed");
                status.put("error", lastLine);
            }
        } catch (IOException e) {
            LOG.error("retraining {} could not start", version, e);
            status.put("state", "failed");
            status.put("error", String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.put("state", "failed");
            status.put("error", "interrupted");
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
        out.put("promotion", promotion.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        out.put("running", running);
        out.put("last", last.get());
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

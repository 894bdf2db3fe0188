package io.pricecast.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The peak RSS of every component and the peak used heap of every service while a scenario runs, and
 * the CPU time each component used during it. RSS is read every second (cheap, from /proc); the heap
 * through {@code jcmd} every {@value #HEAP_EVERY_SECONDS} s and once at the end, since each call starts
 * a small JVM on the shared cores.
 */
final class ResourceSampler implements AutoCloseable {

    static final int HEAP_EVERY_SECONDS = 10;
    private static final double MB = 1024.0 * 1024.0;

    private final BenchStack stack;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-resources");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> cpuAtStart = new LinkedHashMap<>();
    private final Map<String, Long> peakRss = new LinkedHashMap<>();
    private final Map<String, Long> peakHeap = new LinkedHashMap<>();

    ResourceSampler(BenchStack stack) {
        this.stack = stack;
        for (String c : BenchStack.COMPONENTS) {
            cpuAtStart.put(c, ProcessStats.cpuNanos(stack.process(c)));
        }
        timer.scheduleAtFixedRate(this::sampleRss, 0, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(this::sampleHeap, HEAP_EVERY_SECONDS, HEAP_EVERY_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void sampleRss() {
        for (String c : BenchStack.COMPONENTS) {
            OptionalLong rss = ProcessStats.rssBytes(stack.process(c));
            rss.ifPresent(v -> peakRss.merge(c, v, Math::max));
        }
    }

    private void sampleHeap() {
        for (String c : BenchStack.SERVICES) {
            OptionalLong heap = ProcessStats.heapUsedBytes(stack.process(c));
            synchronized (this) {
                heap.ifPresent(v -> peakHeap.merge(c, v, Math::max));
            }
        }
    }

    /** @return CPU seconds each component used since this sampler started */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> result = new LinkedHashMap<>();
        cpuAtStart.forEach((c, start) -> {
            long now = ProcessStats.cpuNanos(stack.process(c));
            result.put(c, start < 0 || now < 0 ? Double.NaN : (now - start) / 1e9);
        });
        return result;
    }

    /** @return CPU seconds each component has used since it started (NaN where unknown) */
    static Map<String, Double> cpuSecondsNow(BenchStack stack) {
        Map<String, Double> result = new LinkedHashMap<>();
        for (String c : BenchStack.COMPONENTS) {
            long now = ProcessStats.cpuNanos(stack.process(c));
            result.put(c, now < 0 ? Double.NaN : now / 1e9);
        }
        return result;
    }

    /** @return the peak RSS per component in MB */
    synchronized Map<String, Double> peakRssMb() {
        return toMb(peakRss);
    }

    /** @return the peak used heap per service in MB */
    synchronized Map<String, Double> peakHeapMb() {
        return toMb(peakHeap);
    }

    private static Map<String, Double> toMb(Map<String, Long> bytes) {
        Map<String, Double> result = new LinkedHashMap<>();
        bytes.forEach((c, b) -> result.put(c, b / MB));
        return result;
    }

    /** Stops sampling after a last sample of both. */
    @Override
    public void close() {
        timer.shutdownNow();
        sampleRss();
        sampleHeap();
    }
}

package io.pricecast.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one running process costs: CPU time (from the OS, through {@link ProcessHandle}), resident set size
 * (Linux {@code /proc/<pid>/status}) and, for a JVM, the used heap ({@code jcmd <pid> GC.heap_info}, the
 * same figure {@code jcmd} prints for anyone).
 */
final class ProcessStats {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    private static final long KB = 1024;
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(20);

    private ProcessStats() {}

    /** @return CPU time (user + system) the process used so far, in nanoseconds, or -1 when unknown */
    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** @return resident set size in bytes, empty when {@code /proc} does not say (not Linux, process gone) */
    static OptionalLong rssBytes(ProcessHandle process) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"));
            Matcher m = RSS.matcher(status);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * KB) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the JVM's used heap in bytes, empty when {@code jcmd} cannot tell */
    static OptionalLong heapUsedBytes(ProcessHandle process) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return OptionalLong.empty();
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return OptionalLong.empty();
            }
            Matcher m = HEAP_USED.matcher(new String(out, StandardCharsets.UTF_8));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * KB) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}

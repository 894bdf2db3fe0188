package io.pricecast.bench;

import io.pricecast.runtime.CodeVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine, the software versions and the load the figures were measured under. */
final class MachineInfo {

    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s+kB");
    private static final Pattern CPU_MODEL = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$");

    private MachineInfo() {}

    /** @return cores, memory, CPU model, OS, Java */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put(
                "memory_mb",
                read("/proc/meminfo", MEM_TOTAL)
                        .map(kb -> Long.parseLong(kb) / 1024)
                        .orElse(-1L));
        m.put("cpu", read("/proc/cpuinfo", CPU_MODEL).orElse("unknown"));
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    /** @return the 1-minute load average now, NaN when unknown */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage();
        }
    }

    /** @return the code version and the servers' and clients' versions (from the root pom) */
    static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("pricecast", CodeVersion.current());
        Properties p = new Properties();
        try (InputStream in = MachineInfo.class.getResourceAsStream("/bench-versions.properties")) {
            if (in == null) {
                throw new IOException("bench-versions.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.stringPropertyNames().stream().sorted().forEach(k -> v.put(k, p.getProperty(k)));
        v.put("kafka-clients", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        return v;
    }

    private static java.util.Optional<String> read(String file, Pattern pattern) {
        try {
            Matcher m = pattern.matcher(Files.readString(Path.of(file)));
            return m.find() ? java.util.Optional.of(m.group(1).trim()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}

package io.pricecast.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a server's log after a failed start and names the likely cause. */
final class LogDiagnosis {

    private static final Map<String, String> CAUSES = new java.util.LinkedHashMap<>();

    static {
        CAUSES.put("Address already in use", "a port it needs is already in use by another process");
        CAUSES.put("No space left on device", "the disk holding PRICECAST_HOME is full");
        CAUSES.put("UnsupportedClassVersionError", "the Java runtime is too old for this server");
        CAUSES.put("Unsupported Java", "the Java runtime is not supported by this server");
        CAUSES.put("AccessDeniedException", "a directory under PRICECAST_HOME is not writable");
        CAUSES.put("Permission denied", "a directory under PRICECAST_HOME is not writable");
        CAUSES.put("OutOfMemoryError", "the server ran out of heap; raise its heap setting");
        CAUSES.put("Inconsistent cluster id", "the Kafka data directory belongs to another cluster");
    }

    private LogDiagnosis() {}

    /**
     * @param log a server log
     * @return the first known cause found in the log's last lines, or null
     */
    static String cause(Path log) {
        String tail = tail(log, 200);
        return CAUSES.entrySet().stream()
                .filter(e -> tail.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /**
     * @param log   a text file
     * @param lines how many of its last lines
     * @return those lines, or an empty string when the file cannot be read
     */
    static String tail(Path log, int lines) {
        if (!Files.isReadable(log)) {
            return "";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try (Stream<String> all = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            all.forEach(l -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(l);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
        return String.join("\n", List.copyOf(last));
    }
}

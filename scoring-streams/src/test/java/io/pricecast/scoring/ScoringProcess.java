package io.pricecast.scoring;

import io.pricecast.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The scoring service as a separate JVM, started the way the launcher starts it: main class
 * {@link ScoringService} from {@code target/classes} and {@code target/runtime.classpath}, configured by
 * environment variables. Output goes to a log file under {@code target/}.
 */
final class ScoringProcess {

    static final String HEAP = "-Xmx384m";

    private ScoringProcess() {}

    /** A free local port (for the child's HTTP endpoints). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the service.
     *
     * @param env its environment (added to this JVM's)
     * @param log where its output goes
     */
    static Process start(Map<String, String> env, Path log) throws IOException {
        List<String> command =
                ChildJvm.command(HEAP, "-cp", ChildJvm.moduleClasspath(), ScoringService.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }
}

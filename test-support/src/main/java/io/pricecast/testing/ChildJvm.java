package io.pricecast.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM a test starts: this JVM's own {@code java}, then the run marker
 * ({@code -Dpricecast.run=<PRICECAST_RUN_ID>}) when {@code ./pricecast test} set one, so that whatever a failed or
 * killed run leaves behind is reaped by its marker, like the local stack's servers.
 */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * @param options JVM options and arguments that follow the marker
     * @return the command: java, the marker, then {@code options}
     */
    public static List<String> command(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String run = System.getenv("PRICECAST_RUN_ID");
        if (run != null && !run.isBlank()) {
            command.add("-Dpricecast.run=" + run);
        }
        command.addAll(List.of(options));
        return command;
    }

    /** @return the classpath of the module under test: its classes and its resolved runtime classpath */
    public static String moduleClasspath() throws IOException {
        return Path.of("target", "classes").toAbsolutePath()
                + File.pathSeparator
                + Files.readString(Path.of("target", "runtime.classpath")).trim();
    }
}

package io.pricecast.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a tool outside the JDK (curl, python3, Chromium) skips with the reason on a developer's machine
 * without it, and fails under CI ({@code CI=true}, which {@code .ci/run} exports), where the tool is installed and a
 * skip would hide a check that did not run.
 */
public final class RequiredTools {

    private RequiredTools() {}

    /** @return true when this is a CI run ({@code CI=true}) */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * @param command a command that must be on {@code PATH}
     * @param install how to install it, for the message
     */
    public static void requireOnPath(String command, String install) {
        require(onPath(command), command + " is not on PATH (" + install + ")");
    }

    /**
     * @param present whether what the test needs is there
     * @param missing what is missing and how to install it
     */
    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if (underCi()) {
            Assertions.fail("under CI this test must run, but " + missing);
        }
        Assumptions.abort("skipped: " + missing);
    }

    /** @return whether {@code command} is an executable file in a directory of {@code PATH} */
    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}

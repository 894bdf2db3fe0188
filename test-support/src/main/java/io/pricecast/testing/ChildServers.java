package io.pricecast.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Start-up and shutdown shared by the test-only servers that run as child JVMs (a SASL broker, a password node). */
public final class ChildServers {

    private static final long STOP_WITHIN_SECONDS = 30;

    private ChildServers() {}

    /**
     * Waits until {@code ready} answers true (its exceptions count as not yet); fails at once when the process exits.
     * When the server does not come up, {@code onFailure} stops it before the failure is thrown.
     *
     * @param what   how a failure names the server
     * @param log    where it logs, named in the failure
     * @param within how long it may take
     * @param poll   how often {@code ready} is asked
     */
    public static void awaitReady(
            Process process,
            String what,
            Path log,
            Duration within,
            Duration poll,
            Callable<Boolean> ready,
            Runnable onFailure) {
        try {
            await().atMost(within).pollInterval(poll).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited (" + process.exitValue() + "); see " + log);
                }
                return ready.call();
            });
        } catch (RuntimeException e) {
            onFailure.run();
            throw e;
        }
    }

    /** SIGTERM, then SIGKILL if the process has not exited within 30 s. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WITHIN_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

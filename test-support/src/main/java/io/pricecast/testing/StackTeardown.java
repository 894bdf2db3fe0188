package io.pricecast.testing;

import static org.awaitility.Awaitility.await;

import io.pricecast.stack.LocalStack;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/** Stopping a stack a test started, and checking that it left no process behind. */
public final class StackTeardown {

    /** How long a stopped process may take to disappear from the process table. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    private StackTeardown() {}

    /**
     * Stops every component of {@code stack} and fails when a process of its home is still alive afterwards.
     *
     * @param stack a stack the test started
     */
    public static void downLeavingNothing(LocalStack stack) {
        stack.down();
        assertNothingLeft(stack);
    }

    /**
     * Fails when a process of {@code stack}'s home is still alive a few seconds after it was stopped.
     *
     * @param stack a stack the test stopped
     */
    public static void assertNothingLeft(LocalStack stack) {
        try {
            await().atMost(GONE_WITHIN).until(() -> stack.processesLeft().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Assertions.fail("processes left after stopping the stack under "
                    + stack.config().home() + ": "
                    + stack.processesLeft().stream()
                            .map(p -> p.pid() + " " + p.info().command().orElse("?"))
                            .collect(Collectors.joining(", ")));
        }
    }
}

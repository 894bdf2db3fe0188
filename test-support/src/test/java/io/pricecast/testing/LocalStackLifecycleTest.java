package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./pricecast up} promises when it cannot start, on a stack of its own (not the shared test stack). Up,
 * down, up again with the data kept, and up after a kill -9 of Cassandra are checked on the running system at the end
 * of system-tests' {@code SystemEndToEndTest}, through the launcher itself.
 */
class LocalStackLifecycleTest {

    @TempDir
    Path home;

    private LocalStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void refusesToStartWhenAPortIsTakenAndNamesThePort() throws IOException {
        stack = new LocalStack(StackConfig.forTests(home, new PortAllocator()), System.out::println);
        int kafkaPort = stack.config().kafkaPort();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), kafkaPort));
            assertThatThrownBy(stack::up)
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("kafka cannot start")
                    .hasMessageContaining("port " + kafkaPort + " is already in use");
        }
        assertNoProcessLeft();
    }

    private void assertNoProcessLeft() {
        StackTeardown.assertNothingLeft(stack);
        assertThat(stack.status()).allMatch(s -> s.pid() == null);
    }
}

package io.pricecast.testing;

import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The local stack's own child processes, in a fresh state directory on free ports. */
final class LocalProcessStack implements RealStack.RunningStack {

    private final LocalStack stack;
    private final Path home;
    private final Thread shutdownHook;

    private LocalProcessStack(LocalStack stack, Path home) {
        this.stack = stack;
        this.home = home;
        // a test JVM that ends without closing JUnit's store still takes its servers with it
        this.shutdownHook = new Thread(stack::down, "pricecast-test-stack-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static LocalProcessStack start() {
        Path home;
        try {
            home = Files.createTempDirectory("pricecast-test-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the test stack", e);
        }
        LocalStack stack = new LocalStack(
                StackConfig.forTests(home, new PortAllocator()), line -> System.out.println("[test stack] " + line));
        LocalProcessStack running = new LocalProcessStack(stack, home);
        try {
            stack.up();
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    @Override
    public StackEndpoints endpoints() {
        return endpointsOf(stack.config());
    }

    static StackEndpoints endpointsOf(StackConfig c) {
        return new StackEndpoints(
                c.kafkaBootstrap(),
                new InetSocketAddress("127.0.0.1", c.cassandraPort()),
                "datacenter1",
                c.registryUrl(),
                "local processes");
    }

    @Override
    public void close() {
        StackTeardown.downLeavingNothing(stack);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
        Directories.deleteTree(home);
    }
}

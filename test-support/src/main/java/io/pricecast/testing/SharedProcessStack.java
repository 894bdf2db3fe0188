package io.pricecast.testing;

import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One local stack for a whole {@code ./pricecast test} run, shared by the test JVMs of every module.
 *
 * <p>{@code ./pricecast test} names a directory in {@value #DIR_VARIABLE}. The first test JVM that asks for servers
 * starts them there and writes their endpoints to {@code endpoints.properties}; every later JVM reads that file and
 * attaches ({@link RunShared}). The servers outlive the JVM that started them: they carry the run marker
 * ({@code -Dpricecast.run}), and {@code ./pricecast test} stops them and deletes the directory when the run ends,
 * however it ends. Tests never stop or restart these servers; the tests that take a server down start a
 * stack of their own.
 */
final class SharedProcessStack implements RealStack.RunningStack {

    /** The environment variable naming the run's shared stack directory. */
    static final String DIR_VARIABLE = "PRICECAST_TEST_SHARED_STACK";

    /** The name of the run directory's files: {@code endpoints.properties}, {@code endpoints.lock}. */
    private static final String ENDPOINTS = "endpoints";

    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final StackEndpoints endpoints;

    private SharedProcessStack(StackEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * @param dir the run's shared stack directory
     * @return the run's servers: the ones already started by an earlier JVM of the run, or new ones
     */
    static SharedProcessStack attachOrStart(Path dir) {
        return new SharedProcessStack(RunShared.attachOrStart(
                dir,
                ENDPOINTS,
                "servers",
                SharedProcessStack::endpoints,
                SharedProcessStack::reachable,
                SharedProcessStack::start,
                SharedProcessStack::properties));
    }

    private static StackEndpoints start(Path home) {
        LocalStack stack = new LocalStack(
                StackConfig.forTests(home, new PortAllocator()), line -> System.out.println("[test stack] " + line));
        try {
            stack.up();
        } catch (RuntimeException e) {
            stack.down();
            throw e;
        }
        return LocalProcessStack.endpointsOf(stack.config());
    }

    private static boolean reachable(StackEndpoints e) {
        URI registry = URI.create(e.registryUrl());
        String[] kafka = e.kafkaBootstrap().split(":");
        return accepts(new InetSocketAddress(kafka[0], Integer.parseInt(kafka[1])))
                && accepts(e.cassandra())
                && accepts(new InetSocketAddress(registry.getHost(), registry.getPort()));
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static StackEndpoints endpoints(Properties p) {
        return new StackEndpoints(
                p.getProperty("kafka"),
                new InetSocketAddress(
                        p.getProperty("cassandra.host"), Integer.parseInt(p.getProperty("cassandra.port"))),
                p.getProperty("datacenter"),
                p.getProperty("registry"),
                p.getProperty("kind"));
    }

    private static Properties properties(StackEndpoints e) {
        Properties p = new Properties();
        p.setProperty("kafka", e.kafkaBootstrap());
        p.setProperty("cassandra.host", e.cassandra().getHostString());
        p.setProperty("cassandra.port", Integer.toString(e.cassandra().getPort()));
        p.setProperty("datacenter", e.localDatacenter());
        p.setProperty("registry", e.registryUrl());
        p.setProperty("kind", e.kind());
        return p;
    }

    @Override
    public StackEndpoints endpoints() {
        return endpoints;
    }

    /** Leaves the servers running for the run's next test JVM; {@code ./pricecast test} stops them. */
    @Override
    public void close() {}
}

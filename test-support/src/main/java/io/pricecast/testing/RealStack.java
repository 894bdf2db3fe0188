package io.pricecast.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real Kafka broker and a real Cassandra node.
 *
 * <p>The servers start on free ports, so they never collide with a running {@code ./pricecast up}. With a Docker
 * engine they are Testcontainers, once per test JVM (kept in the root context's store, closed when the JVM's tests
 * end); without one, the local stack's own child processes: once per {@code ./pricecast test} run, shared by every
 * module's test JVM ({@link SharedProcessStack}), or once per JVM when the tests run outside it. Set
 * {@code PRICECAST_TEST_STACK=local|containers} to force a kind. A parameter of type {@link SaslKafkaBroker} gets the
 * run's SASL broker, shared the same way.
 *
 * <pre>{@code
 * @ExtendWith(RealStack.class)
 * class MyTest {
 *     @Test void works(StackEndpoints stack) { ... stack.createTopic("orders", 3, Map.of()) ... }
 * }
 * }</pre>
 */
public final class RealStack implements ParameterResolver {

    private static final String KEY = "pricecast.real-stack";
    private static final String SASL_KEY = "pricecast.sasl-broker";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == StackEndpoints.class || type == SaslKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SaslKafkaBroker.class ? saslBroker(context) : endpoints(context);
    }

    /**
     * @param context any extension context of the run
     * @return the run's SASL broker ({@link SaslKafkaBroker#forRun}), starting it on first use
     */
    public static SaslKafkaBroker saslBroker(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(SASL_KEY, k -> SaslKafkaBroker.forRun(), SaslKafkaBroker.class);
    }

    /**
     * @param context any extension context of the run
     * @return the run's servers, starting them on first use
     */
    public static StackEndpoints endpoints(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(KEY, k -> start(), RunningStack.class).endpoints();
    }

    private static RunningStack start() {
        String kind =
                System.getenv().getOrDefault("PRICECAST_TEST_STACK", "auto").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "local" -> local();
            case "containers" -> ContainerStack.start();
            case "auto" -> ContainerStack.dockerAvailable() ? ContainerStack.start() : local();
            default ->
                throw new IllegalArgumentException(
                        "PRICECAST_TEST_STACK=" + kind + " (expected local, containers or auto)");
        };
    }

    /** The run's shared local stack under {@code ./pricecast test}, else one of this JVM's own. */
    private static RunningStack local() {
        String shared = System.getenv(SharedProcessStack.DIR_VARIABLE);
        return shared == null || shared.isBlank()
                ? LocalProcessStack.start()
                : SharedProcessStack.attachOrStart(java.nio.file.Path.of(shared));
    }

    /** A started set of servers, stopped by JUnit when the run ends. */
    interface RunningStack extends AutoCloseable {
        StackEndpoints endpoints();

        @Override
        void close();
    }
}

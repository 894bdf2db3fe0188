package io.pricecast.runtime;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The one shape of a service process's {@code main}: {@code --help} prints the usage and exits, JDK logging goes to
 * SLF4J, the service is started from the environment, a shutdown hook closes it, and the process waits until either
 * the hook has run or the service stopped by itself after a failure (then it exits with {@link #EXIT_FAILED}, so a
 * supervisor restarts it).
 *
 * <pre>
 * public static void main(String[] args) throws Exception {
 *     ServiceMain.run("predict-service", USAGE, args, env -&gt; PredictService.start(env, 0));
 * }
 * </pre>
 */
public final class ServiceMain {

    /** The exit status of a service that stopped by itself after a failure. */
    public static final int EXIT_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);
    private static final List<String> HELP = List.of("--help", "-h");

    /** A started service. */
    public interface Running extends AutoCloseable {

        /**
         * Blocks while the service runs by itself. A service that can fail on its own (a Streams application whose
         * threads died) returns when that happens; the others never return.
         *
         * @return true when the service stopped because it failed
         */
        default boolean awaitFailure() throws InterruptedException {
            new CountDownLatch(1).await();
            return false;
        }
    }

    /** Starts a service from its environment. */
    @FunctionalInterface
    public interface Starter {
        /**
         * @param env the process environment
         * @return the running service
         */
        Running start(java.util.Map<String, String> env) throws Exception;
    }

    private ServiceMain() {}

    /**
     * @param name    the service's name, for the log and the shutdown thread
     * @param usage   what {@code --help} prints: the command, what it serves and the variables it reads
     * @param args    the command line: empty, or {@code --help}
     * @param starter starts the service
     */
    public static void run(String name, String usage, String[] args, Starter starter) throws Exception {
        if (args.length > 0) {
            boolean help = HELP.contains(args[0]);
            PrintStream out = help ? System.out : System.err;
            if (!help) {
                out.println(
                        name + ": unexpected argument '" + args[0] + "'; a service is configured by its environment");
            }
            out.println(usage.strip());
            if (!help) {
                System.exit(2);
            }
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Running service = starter.start(System.getenv());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            close(name, service);
                            closed.countDown();
                        },
                        name + "-shutdown"));
        if (service.awaitFailure()) {
            LOG.error("{} stopped after a failure; exiting with {}", name, EXIT_FAILED);
            close(name, service);
            System.exit(EXIT_FAILED);
        }
        closed.await();
    }

    private static void close(String name, Running service) {
        try {
            service.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed", name, e);
        }
    }
}

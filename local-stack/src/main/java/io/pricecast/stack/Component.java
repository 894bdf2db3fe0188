package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One process of the local stack: how to prepare it, start it, tell that it is healthy and
 * initialise it. The launcher knows nothing else about a component, so adding the schema registry
 * or a service is adding one implementation to {@link LocalStack#components}.
 */
public interface Component {

    /** @return short name used in status, logs and pid files ("kafka", "cassandra", ...) */
    String name();

    /** @return the TCP ports it binds, checked to be free before start */
    List<Integer> ports();

    /** @return the port users connect to */
    int mainPort();

    /** @return the loopback address it listens on ({@code 127.0.0.<n>} for node n of a cluster) */
    default String host() {
        return "127.0.0.1";
    }

    /**
     * @return the name of the group this component starts with, or null: consecutive components of one group are all
     *     started before any is waited for (the brokers of a KRaft quorum: one voter of three alone elects no leader,
     *     so it never becomes healthy by itself)
     */
    default String startGroup() {
        return null;
    }

    /**
     * Writes configs and formats storage when needed; idempotent, keeps existing data.
     *
     * @param java the Java runtime that will run the component
     * @throws IOException when the state directory cannot be written
     */
    void prepare(JavaRuntime java) throws IOException;

    /**
     * @param java the Java runtime that will run the component
     * @return the full command line (the launcher adds the marker properties)
     */
    List<String> command(JavaRuntime java);

    /**
     * Checks health once.
     *
     * @param timeout the longest the check may take
     * @return what was seen
     */
    Health check(Duration timeout);

    /**
     * Creates what the system needs on this component (topics, keyspace); idempotent.
     *
     * @throws Exception when it cannot; the launcher reports it with the component's log
     */
    void initialize() throws Exception;

    /**
     * @param java the Java runtime that will run the component
     * @return why this runtime cannot run the component, or null when it can
     */
    default String unsupportedRuntime(JavaRuntime java) {
        return null;
    }

    /**
     * @param command the component's command, its executable first
     * @param markers the launcher's markers ({@code -Dpricecast.component=...}, {@code -Dpricecast.home=...}, the
     *     run's)
     * @return the command with {@link #markerArguments} right after the executable
     */
    default List<String> marked(List<String> command, List<String> markers) {
        List<String> marked = new java.util.ArrayList<>(command.subList(0, 1));
        marked.addAll(markerArguments(markers));
        marked.addAll(command.subList(1, command.size()));
        return marked;
    }

    /**
     * @param markers the launcher's markers
     * @return the arguments that carry them: a JVM takes them as they are, system properties; a component that is not
     *     a JVM puts them in an argument it ignores
     */
    default List<String> markerArguments(List<String> markers) {
        return markers;
    }

    /** @return environment variables added to the process's environment */
    default java.util.Map<String, String> environment() {
        return java.util.Map.of();
    }

    /** @return the component's log file */
    Path logFile();
}

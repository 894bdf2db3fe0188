package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka's own command-line tools, run unchanged against the local broker with Kafka's classpath.
 * Only {@code --bootstrap-server} is added, when the user gave none.
 */
public final class KafkaTools {

    /** Tool name as users type it → Kafka's main class. */
    public static final Map<String, String> MAINS = Map.of(
            "kafka-console-producer", "org.apache.kafka.tools.ConsoleProducer",
            "kafka-console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "kafka-topics", "org.apache.kafka.tools.TopicCommand",
            "kafka-consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand");

    private static final String BOOTSTRAP = "--bootstrap-server";

    private KafkaTools() {}

    /**
     * Runs a tool in the foreground with this terminal's standard streams.
     *
     * @param config the stack whose broker the tool talks to
     * @param tool   a key of {@link #MAINS}
     * @param args   the tool's own arguments
     * @param extraClasspath entries appended to Kafka's classpath (e.g. our message formatter)
     * @return the tool's exit code
     * @throws IOException when it cannot be started
     * @throws InterruptedException when interrupted while it runs
     */
    public static int run(StackConfig config, String tool, List<String> args, String extraClasspath)
            throws IOException, InterruptedException {
        return processBuilder(config, tool, args, extraClasspath)
                .inheritIO()
                .start()
                .waitFor();
    }

    /**
     * The tool's process, not started: for callers that feed its input or read its output.
     *
     * @param config         the stack whose broker the tool talks to
     * @param tool           a key of {@link #MAINS}
     * @param args           the tool's own arguments
     * @param extraClasspath entries appended to Kafka's classpath
     * @return the process builder
     * @throws IOException when the tools' logging config cannot be written
     */
    public static ProcessBuilder processBuilder(
            StackConfig config, String tool, List<String> args, String extraClasspath) throws IOException {
        String main = MAINS.get(tool);
        if (main == null) {
            throw new StackException("unknown Kafka tool '" + tool + "'; known: " + MAINS.keySet());
        }
        Path log4j = config.confDir().resolve("tools-log4j2.properties");
        Files.createDirectories(config.confDir());
        Files.writeString(log4j, ServerLogging.log4j2("WARN"));
        String classpath = ServerClasspath.of(KafkaComponent.NAME)
                + (extraClasspath == null || extraClasspath.isBlank()
                        ? ""
                        : java.io.File.pathSeparator + extraClasspath);
        List<String> cmd = new ArrayList<>(List.of(
                JavaRuntime.of(config.serverJavaHome()).executable(),
                "-Xmx256m",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp",
                classpath,
                main));
        boolean helpOnly = args.contains("--help") || args.contains("--version");
        if (!helpOnly && !args.contains(BOOTSTRAP)) {
            cmd.add(BOOTSTRAP);
            cmd.add(config.kafkaBootstrap());
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putIfAbsent("PRICECAST_REGISTRY_URL", config.registryUrl());
        return pb;
    }
}

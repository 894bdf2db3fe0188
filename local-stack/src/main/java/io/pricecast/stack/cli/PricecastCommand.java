package io.pricecast.stack.cli;

import io.pricecast.stack.KafkaTools;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pricecast}: the local stack launcher. */
@Command(
        name = "pricecast",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs pricecast on a local stack of real servers (Kafka, Cassandra) started as child processes.",
        subcommands = {
            DemoCommand.class,
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            InitCommand.class,
            UrlsCommand.class,
            PricecastCommand.KafkaConsoleProducer.class,
            PricecastCommand.KafkaConsoleConsumer.class,
            PricecastCommand.KafkaTopics.class,
            PricecastCommand.KafkaConsumerGroups.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Also: ./pricecast build (compile everything), ./pricecast test (the test suite), ./pricecast faults [--ha],",
            "      ./pricecast upload, export, accuracy, validate, score-file, import-keras, bench-forward, bench,",
            "      connect-standalone (Kafka Connect's worker, README: Recipes),",
            "      train, models (list|show|publish|promote|rollback|evaluate|serve), rescore",
            "      (each with --help).",
            "",
            "State (data, logs, pid files) lives in PRICECAST_HOME (default: .pricecast in the repository)."
        })
public final class PricecastCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PricecastCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StackException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("pricecast: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** @return the stack configured from the environment */
    static StackConfig config() {
        String root = System.getProperty("pricecast.root", ".");
        return StackConfig.fromEnvironment(System.getenv(), Path.of(root, ".pricecast"));
    }

    /** @return the whole stack: servers, then the services that are built */
    static LocalStack stack() {
        return stack(config());
    }

    /**
     * @param config the configuration
     * @return the whole stack of that configuration
     */
    static LocalStack stack(StackConfig config) {
        return new LocalStack(config, System.out::println, Path.of(System.getProperty("pricecast.root", ".")));
    }

    /** Shared body of the Kafka tool commands: Kafka's own arguments are passed through untouched. */
    abstract static class KafkaToolCommand implements Callable<Integer> {
        /** Everything after the tool name, in order, for Kafka's tool to parse ({@code --help} shows its options). */
        @CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        abstract String tool();

        @Override
        public Integer call() throws Exception {
            int exit = KafkaTools.run(config(), tool(), args, toolsClasspath());
            // Kafka's tools print their usage for --help and exit 1; asking for help is not a failure here
            return args.equals(List.of("--help")) || args.equals(List.of("-h")) ? 0 : exit;
        }

        /** Our formatter (and its Avro serde) after Kafka's own jars, so --formatter can name it. */
        private static String toolsClasspath() throws java.io.IOException {
            Path schemas = Path.of(System.getProperty("pricecast.root", "."), "schemas", "target");
            Path resolved = schemas.resolve("runtime.classpath");
            String own = java.nio.file.Files.exists(resolved)
                    ? schemas.resolve("classes")
                            + java.io.File.pathSeparator
                            + java.nio.file.Files.readString(resolved).trim()
                    : "";
            String extra = System.getenv("PRICECAST_TOOLS_CLASSPATH");
            return extra == null || extra.isBlank() ? own : own + java.io.File.pathSeparator + extra;
        }
    }

    @Command(
            name = "kafka-console-producer",
            description = "Kafka's console producer against the local broker (--bootstrap-server is added).")
    static final class KafkaConsoleProducer extends KafkaToolCommand {
        @Override
        String tool() {
            return "kafka-console-producer";
        }
    }

    @Command(
            name = "kafka-console-consumer",
            description = "Kafka's console consumer against the local broker (--bootstrap-server is added).")
    static final class KafkaConsoleConsumer extends KafkaToolCommand {
        @Override
        String tool() {
            return "kafka-console-consumer";
        }
    }

    @Command(
            name = "kafka-topics",
            description = "Kafka's topic tool against the local broker (--bootstrap-server is added).")
    static final class KafkaTopics extends KafkaToolCommand {
        @Override
        String tool() {
            return "kafka-topics";
        }
    }

    @Command(
            name = "kafka-consumer-groups",
            description = "Kafka's consumer group tool against the local broker (--bootstrap-server is added).")
    static final class KafkaConsumerGroups extends KafkaToolCommand {
        @Override
        String tool() {
            return "kafka-consumer-groups";
        }
    }
}

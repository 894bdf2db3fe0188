package io.pricecast.stack.cli;

import io.pricecast.stack.StackException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pricecast logs <component>}. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints the end of a component's log.")
final class LogsCommand implements Callable<Integer> {

    private static final long FOLLOW_POLL_NANOS = 250_000_000L;

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "kafka, cassandra, ...")
    String component;

    @Option(
            names = {"-n", "--lines"},
            defaultValue = "50",
            description = "how many last lines (default ${DEFAULT-VALUE})")
    int lines;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing new lines until interrupted")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Path log = PricecastCommand.stack().component(component).logFile();
        if (!Files.exists(log)) {
            throw new StackException("no log yet for " + component + " (" + log + "); has it been started?");
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        if (follow) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                f.seek(f.length());
                while (!Thread.currentThread().isInterrupted()) {
                    String line = f.readLine();
                    if (line == null) {
                        LockSupport.parkNanos(FOLLOW_POLL_NANOS);
                    } else {
                        System.out.println(line);
                    }
                }
            }
        }
        return 0;
    }
}

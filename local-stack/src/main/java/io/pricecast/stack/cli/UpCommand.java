package io.pricecast.stack.cli;

import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pricecast up}. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Starts every component of the local stack that is not running, waits until each is healthy, and"
                + " creates the topics and the keyspace (idempotent). Existing data is kept.")
final class UpCommand implements Callable<Integer> {

    @Option(
            names = "--monitoring",
            negatable = true,
            description = "--monitoring adds Prometheus to this stack: it scrapes every service and evaluates the alert"
                    + " rules of monitoring/pricecast.rules.yml (port PRICECAST_PROMETHEUS_PORT, default 9090; the"
                    + " 'prometheus' executable on PATH, or PRICECAST_PROMETHEUS_BIN). The choice is kept in"
                    + " PRICECAST_HOME: status, logs, down and up include it from then on. --no-monitoring stops"
                    + " Prometheus and drops it.")
    Boolean monitoring;

    @Override
    public Integer call() throws IOException {
        StackConfig config = PricecastCommand.config();
        if (Boolean.TRUE.equals(monitoring)) {
            Files.createDirectories(config.home());
            Files.writeString(
                    config.monitoringFlag(), "Prometheus is part of this stack (./pricecast up --monitoring)\n");
        } else if (Boolean.FALSE.equals(monitoring) && Files.exists(config.monitoringFlag())) {
            var withPrometheus = PricecastCommand.stack();
            if (withPrometheus.components().stream().anyMatch(c -> c.name().equals("prometheus"))) {
                withPrometheus.stop("prometheus");
            }
            Files.delete(config.monitoringFlag());
        }
        var stack = PricecastCommand.stack();
        try {
            stack.up();
        } catch (StackException e) {
            if (Boolean.TRUE.equals(monitoring) && stack.processes("prometheus").isEmpty()) {
                // a monitoring that never started is not kept: the next plain 'up' is as before
                Files.deleteIfExists(config.monitoringFlag());
            }
            throw e;
        }
        StatusCommand.print(stack);
        return 0;
    }
}

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

    @Option(
            names = "--nodes",
            paramLabel = "N",
            description = "1 (the default): one Kafka broker, one Cassandra node, one instance of each service. 3: a"
                    + " cluster on the loopback addresses 127.0.0.1 to 127.0.0.3: three KRaft brokers (a 3-voter"
                    + " quorum), three Cassandra nodes, topics and keyspace with replication factor 3 and"
                    + " min.insync.replicas 2, and two instances each of ingest, scoring and the sink"
                    + " (docs/reliability.md, High availability). Same as PRICECAST_NODES. A home keeps the count its"
                    + " data was made with: status, logs and down act on it without the option.")
    Integer nodes;

    @Override
    public Integer call() throws IOException {
        StackConfig config = nodes == null
                ? PricecastCommand.config()
                : PricecastCommand.config().withNodes(nodes);
        if (Boolean.TRUE.equals(monitoring)) {
            Files.createDirectories(config.home());
            Files.writeString(
                    config.monitoringFlag(), "Prometheus is part of this stack (./pricecast up --monitoring)\n");
        } else if (Boolean.FALSE.equals(monitoring) && Files.exists(config.monitoringFlag())) {
            var withPrometheus = PricecastCommand.stack(config);
            if (withPrometheus.components().stream().anyMatch(c -> c.name().equals("prometheus"))) {
                withPrometheus.stop("prometheus");
            }
            Files.delete(config.monitoringFlag());
        }
        var stack = PricecastCommand.stack(config);
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

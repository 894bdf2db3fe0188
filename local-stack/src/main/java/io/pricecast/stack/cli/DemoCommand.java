package io.pricecast.stack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./pricecast demo}: README command 1. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on the local stack: starts everything (as 'up') and prints where it all is."})
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        var stack = PricecastCommand.stack();
        stack.up();
        boolean healthy = StatusCommand.print(stack);
        var c = stack.config();
        System.out.println();
        System.out.println("Kafka bootstrap:   " + c.kafkaBootstrap() + "   topics: prices.raw prices.clean prices.rejected predictions models");
        System.out.println("Cassandra CQL:     127.0.0.1:" + c.cassandraPort() + "   keyspace: " + c.keyspace()
                + "   (cqlsh 127.0.0.1 " + c.cassandraPort() + ")");
        System.out.println("Look further:      ./pricecast kafka-topics --list");
        System.out.println("                   ./pricecast logs kafka | ./pricecast logs cassandra");
        System.out.println("Stop everything:   ./pricecast down");
        return healthy ? 0 : 3;
    }
}

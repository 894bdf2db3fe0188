package io.pricecast.stack.cli;

import io.pricecast.stack.LocalStack;
import io.pricecast.stack.demo.SampleDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pricecast demo}: README command 1. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job on the local stack: starts everything (as 'up'), uploads the sample price file",
            "through the test URL, waits until every forecast is in Cassandra and prints the pred URL, one",
            "lineage URL and the commands to look further. The stack keeps running: './pricecast down' stops it."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--file", description = "price CSV to upload (default: examples/crypto_sample.csv)")
    Path file;

    @Option(
            names = "--dataset",
            defaultValue = "sample",
            description = "dataset to upload into (default ${DEFAULT-VALUE})")
    String dataset;

    @Override
    public Integer call() {
        LocalStack stack = PricecastCommand.stack();
        stack.up();
        boolean healthy = StatusCommand.print(stack);
        var c = stack.config();
        System.out.println();
        System.out.println("Kafka bootstrap:   " + c.kafkaBootstrap()
                + "   topics: prices.raw prices.clean prices.rejected predictions models");
        System.out.println("Schema registry:   " + c.registryUrl() + "/apis/ccompat/v7/subjects");
        System.out.println("Cassandra CQL:     127.0.0.1:" + c.cassandraPort() + "   keyspace: " + c.keyspace());
        Set<String> running = stack.components().stream().map(x -> x.name()).collect(Collectors.toSet());
        if (!healthy || !running.containsAll(Set.of("ingest", "scoring", "sink"))) {
            System.out.println();
            System.out.println(
                    "The services are not all built and healthy, so no sample was uploaded; see ./pricecast status.");
            return healthy ? 0 : 3;
        }
        Path input = file != null
                ? file
                : Path.of(System.getProperty("pricecast.root", "."), "examples", "crypto_sample.csv");
        if (!Files.isReadable(input)) {
            throw new io.pricecast.stack.StackException("cannot read " + input);
        }
        System.out.println();
        new SampleDemo(c, System.out).run(input, dataset);
        return 0;
    }
}

package io.pricecast.stack.cli;

import io.pricecast.runtime.CassandraCredentials;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.stack.StackException;
import io.pricecast.stack.SystemInit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pricecast init}: creates topics, keyspace and schemas on servers that run elsewhere (the
 * docker compose init step). Retries until the servers answer or the timeout passes. Authenticates like the services:
 * Kafka SASL from {@code PRICECAST_KAFKA_SECURITY_PROTOCOL}, {@code _SASL_*} ({@link KafkaAccess}), Cassandra from
 * {@code PRICECAST_CASSANDRA_USERNAME}/{@code _PASSWORD} ({@link CassandraCredentials}).
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the topics, the keyspace and the registered schemas on running servers (idempotent).",
            "Used by docker compose; './pricecast up' does the same for the local stack."
        })
final class InitCommand implements Callable<Integer> {

    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();

    @Option(
            names = "--kafka",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap (default ${DEFAULT-VALUE})")
    String kafka;

    @Option(
            names = "--cassandra",
            defaultValue = "127.0.0.1:9042",
            description = "CQL contact host:port, or a comma-separated list of them: any one that answers will do"
                    + " (default ${DEFAULT-VALUE})")
    String cassandra;

    @Option(
            names = "--datacenter",
            defaultValue = "datacenter1",
            description = "Cassandra local data centre (default ${DEFAULT-VALUE})")
    String datacenter;

    @Option(
            names = "--registry",
            defaultValue = "http://127.0.0.1:8081",
            description = "schema registry URL (default ${DEFAULT-VALUE})")
    String registry;

    @Option(names = "--keyspace", defaultValue = "pricecast", description = "keyspace (default ${DEFAULT-VALUE})")
    String keyspace;

    @Option(
            names = "--partitions",
            defaultValue = "6",
            description = "partitions of prices.* and predictions (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "1",
            description = "topic and keyspace replication (default ${DEFAULT-VALUE})")
    short replication;

    @Option(names = "--timeout-seconds", defaultValue = "120", description = "give up after (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        KafkaAccess kafkaAccess = KafkaAccess.fromEnvironment(kafka, System.getenv());
        CassandraCredentials credentials = CassandraCredentials.fromEnvironment(System.getenv());
        retry(
                "topics on " + kafkaAccess,
                deadline,
                () -> System.out.println(
                        "topics created: " + SystemInit.createTopics(kafkaAccess, partitions, replication)));
        List<InetSocketAddress> contacts = ServiceSettings.hostPorts("--cassandra", cassandra);
        retry(
                "keyspace on " + cassandra,
                deadline,
                () -> SystemInit.createKeyspace(contacts, datacenter, credentials, keyspace, replication));
        System.out.println("keyspace ready: " + keyspace);
        retry(
                "schemas on " + registry,
                deadline,
                () -> System.out.println("schemas registered: " + SystemInit.registerSchemas(registry)));
        return 0;
    }

    private static void retry(String what, Instant deadline, Runnable step) {
        while (true) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new StackException("init: " + what + " failed: " + e.getMessage(), e);
                }
                System.out.println(
                        "init: " + what + " not ready yet (" + e.getClass().getSimpleName() + "), retrying");
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }
}

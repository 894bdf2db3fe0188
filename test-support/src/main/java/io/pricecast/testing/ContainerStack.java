package io.pricecast.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka and Cassandra as Testcontainers, for machines with a Docker engine. */
final class ContainerStack implements RealStack.RunningStack {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.1.1");
    static final DockerImageName CASSANDRA_IMAGE = DockerImageName.parse("cassandra:5.0.6");

    private final KafkaContainer kafka;
    private final CassandraContainer cassandra;

    private ContainerStack(KafkaContainer kafka, CassandraContainer cassandra) {
        this.kafka = kafka;
        this.cassandra = cassandra;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ContainerStack start() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        CassandraContainer cassandra = new CassandraContainer(CASSANDRA_IMAGE);
        kafka.start();
        cassandra.start();
        return new ContainerStack(kafka, cassandra);
    }

    @Override
    public StackEndpoints endpoints() {
        return new StackEndpoints(kafka.getBootstrapServers(), cassandra.getContactPoint(), cassandra.getLocalDatacenter(),
                "testcontainers");
    }

    @Override
    public void close() {
        cassandra.stop();
        kafka.stop();
    }
}

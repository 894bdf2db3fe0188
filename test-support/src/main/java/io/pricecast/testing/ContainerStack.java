package io.pricecast.testing;

import io.pricecast.schemas.registry.SchemaRegistrar;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka and Cassandra as Testcontainers, for machines with a Docker engine. */
final class ContainerStack implements RealStack.RunningStack {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.1.1");
    static final DockerImageName CASSANDRA_IMAGE = DockerImageName.parse("cassandra:5.0.6");
    static final DockerImageName REGISTRY_IMAGE = DockerImageName.parse("apicurio/apicurio-registry:3.0.9");
    private static final int REGISTRY_PORT = 8080;

    private final KafkaContainer kafka;
    private final CassandraContainer cassandra;
    private final GenericContainer<?> registry;

    private ContainerStack(KafkaContainer kafka, CassandraContainer cassandra, GenericContainer<?> registry) {
        this.kafka = kafka;
        this.cassandra = cassandra;
        this.registry = registry;
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
        GenericContainer<?> registry = new GenericContainer<>(REGISTRY_IMAGE)
                .withExposedPorts(REGISTRY_PORT)
                .waitingFor(Wait.forHttp("/health/ready").forPort(REGISTRY_PORT));
        kafka.start();
        cassandra.start();
        registry.start();
        ContainerStack stack = new ContainerStack(kafka, cassandra, registry);
        new SchemaRegistrar(stack.endpoints().registryUrl()).registerAll();
        return stack;
    }

    @Override
    public StackEndpoints endpoints() {
        return new StackEndpoints(
                kafka.getBootstrapServers(),
                cassandra.getContactPoint(),
                cassandra.getLocalDatacenter(),
                "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT),
                "testcontainers");
    }

    @Override
    public void close() {
        registry.stop();
        cassandra.stop();
        kafka.stop();
    }
}

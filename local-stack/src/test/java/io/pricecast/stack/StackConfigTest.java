package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private static final Path HOME = Path.of("state-dir");

    @Test
    void defaultsAreTheWellKnownPorts() {
        StackConfig c = StackConfig.fromEnvironment(Map.of(), HOME);
        assertThat(c.kafkaPort()).isEqualTo(9092);
        assertThat(c.kafkaControllerPort()).isEqualTo(9093);
        assertThat(c.cassandraPort()).isEqualTo(9042);
        assertThat(c.home()).isEqualTo(HOME.toAbsolutePath());
        assertThat(c.partitions()).isEqualTo(StackConfig.DEFAULT_PARTITIONS);
    }

    @Test
    void pricecastHomeAndPortsComeFromTheEnvironment() {
        StackConfig c = StackConfig.fromEnvironment(
                Map.of(
                        "PRICECAST_HOME",
                        "elsewhere",
                        "PRICECAST_KAFKA_PORT",
                        "19092",
                        "PRICECAST_CASSANDRA_PORT",
                        "19042",
                        "PRICECAST_PARTITIONS",
                        "12"),
                HOME);
        assertThat(c.home()).isEqualTo(Path.of("elsewhere").toAbsolutePath());
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(c.kafkaControllerPort()).isEqualTo(19093);
        assertThat(c.cassandraPort()).isEqualTo(19042);
        assertThat(c.partitions()).isEqualTo(12);
    }

    @Test
    void rejectsAPortThatIsNotANumberNamingTheVariable() {
        assertThatThrownBy(() -> StackConfig.fromEnvironment(Map.of("PRICECAST_KAFKA_PORT", "ninety"), HOME))
                .hasMessageContaining("PRICECAST_KAFKA_PORT=ninety");
        assertThatThrownBy(() -> StackConfig.fromEnvironment(Map.of("PRICECAST_CASSANDRA_PORT", "70000"), HOME))
                .hasMessageContaining("not a TCP port");
    }

    @Test
    void cassandraRefusesAJavaItCannotRunOnAndSaysHowToFixIt() {
        CassandraComponent cassandra = new CassandraComponent(StackConfig.fromEnvironment(Map.of(), HOME), 1);
        assertThat(cassandra.unsupportedRuntime(new JavaRuntime(Path.of("jdk-25"), 25)))
                .contains("Java 25")
                .contains("PRICECAST_SERVER_JAVA_HOME");
        assertThat(cassandra.unsupportedRuntime(new JavaRuntime(Path.of("jdk-17"), 17)))
                .isNull();
    }

    @Test
    void oneNodeIsTheDefaultAndThreeMakeAClusterOnThreeLoopbackAddresses() {
        StackConfig one = StackConfig.fromEnvironment(Map.of(), HOME);
        assertThat(one.nodes()).isEqualTo(1);
        assertThat(one.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(one.cassandraContacts()).isEqualTo("127.0.0.1:9042");
        assertThat(one.replicationFactor()).isEqualTo(1);

        StackConfig three = StackConfig.fromEnvironment(Map.of("PRICECAST_NODES", "3"), HOME);
        assertThat(three.kafkaBootstrap()).isEqualTo("127.0.0.1:9092,127.0.0.2:9092,127.0.0.3:9092");
        assertThat(three.cassandraContacts()).isEqualTo("127.0.0.1:9042,127.0.0.2:9042,127.0.0.3:9042");
        assertThat(three.replicationFactor()).isEqualTo(3);
        assertThat(three.minInsyncReplicas()).isEqualTo(2);
        assertThat(one.withNodes(3)).isEqualTo(three);
        assertThatThrownBy(() -> StackConfig.fromEnvironment(Map.of("PRICECAST_NODES", "2"), HOME))
                .hasMessageContaining("PRICECAST_NODES=2")
                .hasMessageContaining("1 (one of everything) or 3");
    }

    @Test
    void theClustersNodesFormOneQuorumAndOneRingWithReplicationThree() {
        StackConfig three = StackConfig.fromEnvironment(Map.of("PRICECAST_NODES", "3"), HOME);
        List<KafkaComponent> brokers = KafkaComponent.all(three);
        assertThat(brokers).extracting(Component::name).containsExactly("kafka", "kafka-2", "kafka-3");
        assertThat(brokers).extracting(Component::startGroup).containsOnly("kafka");
        assertThat(brokers.get(1).serverProperties())
                .contains("node.id=2")
                .contains("controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.2:9093,3@127.0.0.3:9093")
                .contains("listeners=PLAINTEXT://127.0.0.2:9092,CONTROLLER://127.0.0.2:9093")
                .contains("default.replication.factor=3")
                .contains("min.insync.replicas=2")
                .contains("offsets.topic.replication.factor=3")
                .contains("transaction.state.log.min.isr=2");
        assertThat(KafkaComponent.all(StackConfig.fromEnvironment(Map.of(), HOME))
                        .get(0))
                .satisfies(k -> assertThat(k.startGroup()).isNull())
                .satisfies(k -> assertThat(k.serverProperties())
                        .contains("controller.quorum.voters=1@127.0.0.1:9093")
                        .contains("offsets.topic.replication.factor=1")
                        .doesNotContain("min.insync.replicas"));

        List<CassandraComponent> ring = CassandraComponent.all(three);
        assertThat(ring).extracting(Component::name).containsExactly("cassandra", "cassandra-2", "cassandra-3");
        assertThat(ring).extracting(Component::host).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
        assertThat(ring)
                .extracting(c -> c.yaml()
                        .lines()
                        .filter(l -> l.startsWith("initial_token:"))
                        .findFirst()
                        .orElseThrow())
                .containsExactly(
                        "initial_token: -9223372036854775808",
                        "initial_token: -3074457345618258603",
                        "initial_token: 3074457345618258602");
        assertThat(ring.get(2).yaml())
                .contains("listen_address: 127.0.0.3")
                .contains("seeds: \"127.0.0.1:7000,127.0.0.2:7000,127.0.0.3:7000\"")
                .contains("auto_bootstrap: false");
        assertThat(new CassandraComponent(StackConfig.fromEnvironment(Map.of(), HOME), 1).yaml())
                .contains("initial_token: 0")
                .doesNotContain("auto_bootstrap");
    }

    @Test
    void aHomeKeepsTheNodeCountItsDataWasMadeWith(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        assertThat(StackConfig.recordedNodes(home)).isEmpty();
        java.nio.file.Files.createDirectories(home.resolve("data").resolve("kafka"));
        assertThat(StackConfig.recordedNodes(home))
                .as("a home from before the count was recorded")
                .contains(1);
        java.nio.file.Files.writeString(home.resolve("cluster.nodes"), "3\n");
        assertThat(StackConfig.fromEnvironment(Map.of("PRICECAST_HOME", home.toString()), HOME)
                        .nodes())
                .as("status, down and up without --nodes act on the home's cluster")
                .isEqualTo(3);
        StackConfig one =
                StackConfig.fromEnvironment(Map.of("PRICECAST_HOME", home.toString(), "PRICECAST_NODES", "1"), HOME);
        assertThatThrownBy(() -> new LocalStack(one, line -> {}).up())
                .isInstanceOf(StackException.class)
                .hasMessageContaining("holds a stack of 3 node(s)")
                .hasMessageContaining("cannot become a stack of 1");
    }

    @Test
    void logDiagnosisNamesAKnownCause(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        java.nio.file.Files.writeString(log, "starting\njava.io.IOException: No space left on device\n");
        assertThat(LogDiagnosis.cause(log)).contains("disk").contains("full");
    }
}

package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
        CassandraComponent cassandra = new CassandraComponent(StackConfig.fromEnvironment(Map.of(), HOME));
        assertThat(cassandra.unsupportedRuntime(new JavaRuntime(Path.of("jdk-25"), 25)))
                .contains("Java 25")
                .contains("PRICECAST_SERVER_JAVA_HOME");
        assertThat(cassandra.unsupportedRuntime(new JavaRuntime(Path.of("jdk-17"), 17)))
                .isNull();
    }

    @Test
    void logDiagnosisNamesAKnownCause(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        java.nio.file.Files.writeString(log, "starting\njava.io.IOException: No space left on device\n");
        assertThat(LogDiagnosis.cause(log)).contains("disk").contains("full");
    }
}

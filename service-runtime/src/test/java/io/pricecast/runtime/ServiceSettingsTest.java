package io.pricecast.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

    @Test
    void defaultsPointAtTheLocalStack() {
        ServiceSettings s = ServiceSettings.fromEnvironment(Map.of(), "PRICECAST_X_PORT", 8099, "x");
        assertThat(s.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(s.registryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(s.cassandraContact().getPort()).isEqualTo(9042);
        assertThat(s.httpPort()).isEqualTo(8099);
    }

    @Test
    void rejectsAContactWithoutPortNamingTheVariable() {
        assertThatThrownBy(
                        () -> ServiceSettings.fromEnvironment(Map.of("PRICECAST_CASSANDRA_CONTACT", "db"), "P", 1, "x"))
                .hasMessageContaining("PRICECAST_CASSANDRA_CONTACT=db");
    }

    @Test
    void aClusterIsContactedThroughEveryNodeItNames() {
        ServiceSettings s = ServiceSettings.fromEnvironment(
                Map.of("PRICECAST_CASSANDRA_CONTACT", "127.0.0.1:9042, 127.0.0.2:9042,127.0.0.3:9043"), "P", 1, "x");
        assertThat(s.cassandraContacts())
                .extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("127.0.0.1:9042", "127.0.0.2:9042", "127.0.0.3:9043");
        assertThat(s.cassandraContact().getHostString()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> ServiceSettings.fromEnvironment(
                                Map.of("PRICECAST_CASSANDRA_CONTACT", "127.0.0.1:9042,db"), "P", 1, "x")
                        .cassandraContacts())
                .hasMessageContaining("PRICECAST_CASSANDRA_CONTACT=db is not host:port");
    }

    @Test
    void aListOfHostPortsIsReadUnresolvedAndAWrongEntryIsNamedWithItsSetting() {
        // pricecast init --cassandra reads its list with the same parser
        assertThat(ServiceSettings.hostPorts("--cassandra", "cassandra-1:9042, cassandra-2:9042,cassandra-3:9043"))
                .allSatisfy(a -> assertThat(a.isUnresolved()).isTrue())
                .extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("cassandra-1:9042", "cassandra-2:9042", "cassandra-3:9043");
        assertThat(ServiceSettings.hostPorts("--cassandra", "127.0.0.1:9042")).hasSize(1);
        assertThatThrownBy(() -> ServiceSettings.hostPorts("--cassandra", "cassandra-1:9042,cassandra-2"))
                .hasMessage("--cassandra=cassandra-2 is not host:port");
    }

    @Test
    void codeVersionIsTheGitCommitOfTheBuild() {
        assertThat(CodeVersion.current()).matches("[0-9a-f]{7,}(-dirty)?|unknown");
    }
}

package io.pricecast.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCredentialsTest {

    private static final String BOOTSTRAP = "kafka:29092";

    @Test
    void plaintextByDefaultWithOnlyTheBootstrapServers() {
        KafkaAccess kafka = KafkaAccess.fromEnvironment(BOOTSTRAP, Map.of());
        assertThat(kafka.security()).isEmpty();
        assertThat(kafka.map()).containsExactly(Map.entry("bootstrap.servers", BOOTSTRAP));
    }

    @Test
    void saslPlainGivesEveryClientTheProtocolMechanismAndJaasLogin() {
        KafkaAccess kafka = KafkaAccess.fromEnvironment(
                BOOTSTRAP,
                Map.of(
                        KafkaAccess.SECURITY_PROTOCOL, "sasl_plaintext",
                        KafkaAccess.SASL_USERNAME, "pricecast",
                        KafkaAccess.SASL_PASSWORD, "pa\"ss"));
        assertThat(kafka.properties())
                .containsEntry("bootstrap.servers", BOOTSTRAP)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "username=\"pricecast\" password=\"pa\\\"ss\";");
    }

    @Test
    void aUserNameAloneImpliesSaslPlaintextAndScramUsesItsOwnLoginModule() {
        KafkaAccess kafka = KafkaAccess.fromEnvironment(
                BOOTSTRAP,
                Map.of(
                        KafkaAccess.SASL_USERNAME,
                        "u",
                        KafkaAccess.SASL_PASSWORD,
                        "p",
                        KafkaAccess.SASL_MECHANISM,
                        "SCRAM-SHA-512"));
        assertThat(kafka.security())
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(kafka.security().get("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule");
    }

    @Test
    void readsThePasswordFromTheFileNamedByTheFileVariable(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password"), "from-file\n");
        KafkaAccess kafka = KafkaAccess.fromEnvironment(
                BOOTSTRAP,
                Map.of(
                        KafkaAccess.SASL_USERNAME,
                        "u",
                        KafkaAccess.SASL_PASSWORD + "_FILE",
                        secret.toString(),
                        KafkaAccess.SASL_PASSWORD,
                        "ignored"));
        assertThat(kafka.security().get("sasl.jaas.config")).contains("password=\"from-file\"");
    }

    @Test
    void passesOtherClientPropertiesThroughByName() {
        KafkaAccess kafka = KafkaAccess.fromEnvironment(
                BOOTSTRAP,
                Map.of(
                        "PRICECAST_KAFKA_PROPERTY_SSL_TRUSTSTORE_LOCATION",
                        "/etc/kafka/truststore.p12",
                        KafkaAccess.SECURITY_PROTOCOL,
                        "SSL"));
        assertThat(kafka.security())
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void refusesSaslWithoutCredentialsAndAUserWithoutSaslNamingTheVariables() {
        assertThatThrownBy(
                        () -> KafkaAccess.fromEnvironment(BOOTSTRAP, Map.of(KafkaAccess.SECURITY_PROTOCOL, "SASL_SSL")))
                .hasMessageContaining(KafkaAccess.SASL_USERNAME)
                .hasMessageContaining(KafkaAccess.SASL_PASSWORD);
        assertThatThrownBy(() -> KafkaAccess.fromEnvironment(
                        BOOTSTRAP,
                        Map.of(
                                KafkaAccess.SECURITY_PROTOCOL,
                                "PLAINTEXT",
                                KafkaAccess.SASL_USERNAME,
                                "u",
                                KafkaAccess.SASL_PASSWORD,
                                "p")))
                .hasMessageContaining(KafkaAccess.SASL_USERNAME + " is set");
        assertThatThrownBy(() -> KafkaAccess.fromEnvironment(
                        BOOTSTRAP,
                        Map.of(
                                KafkaAccess.SASL_USERNAME,
                                "u",
                                KafkaAccess.SASL_PASSWORD,
                                "p",
                                KafkaAccess.SASL_MECHANISM,
                                "GSSAPI")))
                .hasMessageContaining("GSSAPI is not supported");
    }

    @Test
    void neverPrintsAPassword() {
        Map<String, String> env = Map.of(
                KafkaAccess.SASL_USERNAME,
                "alice",
                KafkaAccess.SASL_PASSWORD,
                "kafka-s3cret",
                "PRICECAST_KAFKA_PROPERTY_SSL_KEY_PASSWORD",
                "key-s3cret",
                CassandraCredentials.USERNAME,
                "bob",
                CassandraCredentials.PASSWORD,
                "cql-s3cret");
        ServiceSettings settings = ServiceSettings.fromEnvironment(env, "PRICECAST_X_PORT", 1, "x");
        assertThat(settings.toString())
                .contains("bob", "sasl.jaas.config=****")
                .doesNotContain("kafka-s3cret", "key-s3cret", "cql-s3cret");
        assertThat(settings.kafka().toString()).doesNotContain("kafka-s3cret");
        assertThat(settings.cassandraCredentials().toString()).doesNotContain("cql-s3cret");
    }

    @Test
    void cassandraCredentialsComeAsAPairOrNotAtAll() {
        assertThat(CassandraCredentials.fromEnvironment(Map.of()).present()).isFalse();
        CassandraCredentials both = CassandraCredentials.fromEnvironment(
                Map.of(CassandraCredentials.USERNAME, "pricecast", CassandraCredentials.PASSWORD, "p"));
        assertThat(both.username()).contains("pricecast");
        assertThat(both.password()).contains("p");
        assertThatThrownBy(
                        () -> CassandraCredentials.fromEnvironment(Map.of(CassandraCredentials.USERNAME, "pricecast")))
                .hasMessageContaining(CassandraCredentials.PASSWORD)
                .hasMessageNotContaining("pricecast\"");
    }
}

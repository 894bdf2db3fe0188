package io.pricecast.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.runtime.ServiceSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private static IngestConfig from(Map<String, String> env) {
        return IngestConfig.fromSettings(ServiceSettings.fromEnvironment(env, "PRICECAST_INGEST_PORT", 8082, "ingest"));
    }

    @Test
    void aDeadInstancesOpenTransactionHoldsReadersBackForTwelveSecondsAtMost() {
        IngestConfig defaults = from(Map.of());
        assertThat(defaults.transactionTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(defaults.maxTransactionAge()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theTransactionTimeoutIsSetAndMustStayAboveTheTransactionAge() {
        assertThat(from(Map.of("PRICECAST_INGEST_TRANSACTION_TIMEOUT_SECONDS", "60"))
                        .transactionTimeout())
                .isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> from(Map.of("PRICECAST_INGEST_TRANSACTION_TIMEOUT_SECONDS", "5")))
                .hasMessageContaining("must be below the transaction timeout");
    }
}

package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.SaslKafkaBroker;
import io.pricecast.testing.StackEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a real broker that only speaks SASL_PLAINTEXT/PLAIN: configured with the
 * {@code PRICECAST_KAFKA_SASL_*} variables, its consumers (prices and forecasts) log in and every record is stored,
 * exactly once per key; its health says Kafka answers.
 */
@ExtendWith(RealStack.class)
class SaslKafkaSinkTest {

    private static final String PASSWORD = SaslKafkaBroker.PASSWORD;
    private static final Duration WITHIN = Duration.ofSeconds(120);

    @Test
    void storesPricesAndForecastsConsumedThroughASaslBroker(
            StackEndpoints stack, SaslKafkaBroker kafka, @TempDir Path dir) throws Exception {
        SinkTestKit kit = SinkTestKit.onSasl(stack, "sink_sasl", kafka, SaslKafkaBroker.USER, PASSWORD);
        assertThat(kit.environment()).containsEntry("PRICECAST_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        List<PriceRecord> prices = SampleData.prices("sasl", "upload-sasl");
        List<InputRef> at =
                kit.produce(kit.prices(), prices, p -> p.getDataset() + "|" + p.getSymbol(), PriceRecord::getDate);
        List<Prediction> forecasts = SampleData.predictions(prices, at);
        kit.produce(kit.predictions(), forecasts, p -> p.getDataset() + "|" + p.getSymbol(), Prediction::getTargetDate);

        try (SinkService sink = kit.startSink();
                CqlSession session = kit.session()) {
            await().atMost(WITHIN)
                    .until(() -> kit.count(session, "predictions_by_series", "") == forecasts.size()
                            && kit.count(session, "prices_by_series", "") == prices.size());
            assertThat(kit.count(session, "symbols_by_dataset", "dataset = ?", "sasl"))
                    .isEqualTo(3);
            // ready: every consumer polls over SASL
            Readiness.await200("http://127.0.0.1:" + sink.port() + "/health", WITHIN);
        }
    }
}

package io.pricecast.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ScoringConfigTest {

    private static ScoringConfig from(Map<String, String> env) {
        return ScoringConfig.fromSettings(
                ServiceSettings.fromEnvironment(env, "PRICECAST_SCORING_PORT", 8083, "scoring"),
                new PlainAvroSerdes(),
                "code");
    }

    @Test
    void defaultsScoreTheCatalogueTopicsExactlyOnceWithBatching() {
        ScoringConfig config = from(Map.of());
        assertThat(config.inputTopic()).isEqualTo(Topics.PRICES_CLEAN.name());
        assertThat(config.predictionsTopic()).isEqualTo(Topics.PREDICTIONS.name());
        assertThat(config.rejectedTopic()).isEqualTo(Topics.PRICES_REJECTED.name());
        assertThat(config.modelsTopic()).isEqualTo(Topics.MODELS.name());
        assertThat(config.engine()).isEqualTo(Engine.AUTO);
        assertThat(config.maxBatch()).isEqualTo(ScoringConfig.DEFAULT_MAX_BATCH);
        Properties p = config.streamsProperties();
        assertThat(p)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, ScoringConfig.DEFAULT_APPLICATION_ID)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
    }

    @Test
    void threadsStandbysAndEngineComeFromTheEnvironment() {
        ScoringConfig config = from(Map.of(
                "PRICECAST_SCORING_STREAM_THREADS",
                "2",
                "PRICECAST_SCORING_STANDBY_REPLICAS",
                "1",
                "PRICECAST_SCORING_ENGINE",
                "djl",
                "PRICECAST_SCORING_MAX_POLL_RECORDS",
                "777",
                "PRICECAST_SCORING_INPUT_TOPIC",
                "other.prices"));
        Properties p = config.streamsProperties();
        assertThat(p)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 777);
        assertThat(config.engine()).isEqualTo(Engine.DJL);
        assertThat(config.inputTopic()).isEqualTo("other.prices");
    }

    @Test
    void unknownEngineNamesTheVariable() {
        assertThatThrownBy(() -> from(Map.of("PRICECAST_SCORING_ENGINE", "gpu")))
                .hasMessageContaining("PRICECAST_SCORING_ENGINE=gpu");
    }
}

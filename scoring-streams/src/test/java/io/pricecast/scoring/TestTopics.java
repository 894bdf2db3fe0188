package io.pricecast.scoring;

import io.pricecast.schemas.Topics;
import io.pricecast.testing.StackEndpoints;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of one test.
 *
 * @param input       prices
 * @param predictions predictions
 * @param accepted    accepted prices
 * @param accuracy    scored forecasts
 * @param verdicts    upload verdicts
 * @param rejected    rejections
 * @param models      the model registry (compacted)
 */
public record TestTopics(
        String input,
        String predictions,
        String accepted,
        String accuracy,
        String verdicts,
        String rejected,
        String models) {

    /** The catalogue's names (for TopologyTestDriver). */
    public static TestTopics catalogue() {
        return new TestTopics(
                Topics.PRICES_CLEAN.name(),
                Topics.PREDICTIONS.name(),
                Topics.PRICES_ACCEPTED.name(),
                Topics.ACCURACY.name(),
                Topics.UPLOAD_VERDICTS.name(),
                Topics.PRICES_REJECTED.name(),
                Topics.MODELS.name());
    }

    /** Fresh topics on the test broker: {@code partitions} for the series topics, one for the others. */
    public static TestTopics create(StackEndpoints stack, int partitions) {
        return new TestTopics(
                stack.createTopic("prices", partitions, Map.of()),
                stack.createTopic("predictions", partitions, Map.of()),
                stack.createTopic("accepted", partitions, Map.of()),
                stack.createTopic("accuracy", partitions, Map.of()),
                stack.createTopic("verdicts", 1, Map.of()),
                stack.createTopic("rejected", 1, Map.of()),
                stack.createTopic(
                        "models", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }
}

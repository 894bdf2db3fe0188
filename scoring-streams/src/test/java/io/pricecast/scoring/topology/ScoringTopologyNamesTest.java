package io.pricecast.scoring.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.PriceRecord;
import io.pricecast.scoring.PlainAvroSerdes;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.TestData;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names the topology gives its nodes, stores and internal topics, checked on its description: node names say
 * what a node is and never equal a topic's name, while the store names (and so the changelog topics and the task
 * ids that name local state directories) stay what running applications already have.
 */
class ScoringTopologyNamesTest {

    private static final String APPLICATION_ID = "ttd";

    @TempDir
    Path stateDir;

    private ScoringConfig config(int maxBatch) {
        return TestData.config(APPLICATION_ID, stateDir, new PlainAvroSerdes(), "code-test", maxBatch);
    }

    private static TopologyDescription describe(ScoringConfig config) throws Exception {
        try (ScoringResources resources = ScoringResources.create(config.engine())) {
            return ScoringTopology.build(config, resources).describe();
        }
    }

    @Test
    void nodesAreNamedForWhatTheyAreAndNoneIsNamedLikeATopic() throws Exception {
        TopologyDescription description = describe(config(64));

        Set<String> nodes = new TreeSet<>();
        Set<String> topics = new HashSet<>();
        description.globalStores().forEach(g -> {
            nodes.add(g.source().name());
            nodes.add(g.processor().name());
            topics.addAll(g.source().topicSet());
        });
        description
                .subtopologies()
                .forEach(s -> s.nodes().forEach(n -> {
                    nodes.add(n.name());
                    if (n instanceof TopologyDescription.Source source) {
                        topics.addAll(source.topicSet());
                    } else if (n instanceof TopologyDescription.Sink sink) {
                        topics.add(sink.topic());
                    }
                }));

        assertThat(nodes)
                .containsExactly(
                        "accepted-sink",
                        "accuracy-sink",
                        "models-registry-processor",
                        "models-source",
                        "predictions-sink",
                        "prices-source",
                        "rejected-sink",
                        "scoring-processor",
                        "verdicts-sink");
        assertThat(topics)
                .containsExactlyInAnyOrder(
                        "prices.clean",
                        "prices.accepted",
                        "predictions",
                        "accuracy",
                        "uploads.verdicts",
                        "prices.rejected",
                        "models");
        assertThat(nodes).doesNotContainAnyElementsOf(topics);
    }

    @Test
    void storesAndSubtopologyIdsKeepTheirNames() throws Exception {
        TopologyDescription description = describe(config(64));

        assertThat(description.globalStores()).singleElement().satisfies(g -> {
            assertThat(g.id()).isZero();
            assertThat(g.processor().stores()).containsExactly(ScoringTopology.MODELS_STORE);
            assertThat(ScoringTopology.MODELS_STORE).isEqualTo("scoring-models");
        });
        // the scoring sub-topology keeps id 1: its tasks (1_0, 1_1, ...) name the local state directories
        assertThat(description.subtopologies()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(1);
            assertThat(s.nodes())
                    .filteredOn(n -> n instanceof TopologyDescription.Processor)
                    .singleElement()
                    .satisfies(p -> assertThat(((TopologyDescription.Processor) p).stores())
                            .containsExactlyInAnyOrder(
                                    "scoring-series", "scoring-pending", "scoring-actuals", "scoring-uploads"));
        });
        assertThat(describe(config(1)).subtopologies())
                .singleElement()
                .satisfies(s -> assertThat(s.nodes())
                        .filteredOn(n -> n instanceof TopologyDescription.Processor)
                        .singleElement()
                        .satisfies(p -> assertThat(((TopologyDescription.Processor) p).stores())
                                .containsExactlyInAnyOrder("scoring-series", "scoring-actuals", "scoring-uploads")));
    }

    @Test
    void changelogTopicsAreNamedAfterTheStores() throws Exception {
        ScoringConfig config = config(64);
        try (ScoringResources resources = ScoringResources.create(config.engine());
                TopologyTestDriver driver =
                        new TopologyTestDriver(ScoringTopology.build(config, resources), config.streamsProperties())) {
            TestInputTopic<String, PriceRecord> prices = driver.createInputTopic(
                    config.inputTopic(),
                    Serdes.String().serializer(),
                    config.serdes().serde(PriceRecord.class, false).serializer());
            List<PriceRecord> sample = TestData.sample("sample", "upload-1").subList(0, 6);
            sample.forEach(r -> prices.pipeInput(TestData.key(r), r));
            driver.advanceWallClockTime(ScoringConfig.DEFAULT_FLUSH_INTERVAL.multipliedBy(2));

            assertThat(driver.producedTopicNames())
                    .filteredOn(t -> t.startsWith(APPLICATION_ID + "-"))
                    .containsExactlyInAnyOrder(
                            "ttd-scoring-series-changelog",
                            "ttd-scoring-pending-changelog",
                            "ttd-scoring-actuals-changelog",
                            "ttd-scoring-uploads-changelog");
        }
    }
}

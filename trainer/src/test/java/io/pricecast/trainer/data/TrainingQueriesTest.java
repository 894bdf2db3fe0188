package io.pricecast.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingQueriesTest {

    private final TrainingQueries queries = new TrainingQueries("ks");

    @Test
    void listsADatasetsSymbolsFromTheSinksCatalogue() {
        assertThat(queries.symbols()).isEqualTo("SELECT symbol FROM ks.symbols_by_dataset WHERE dataset = ?");
    }

    @Test
    void readsASeriesRangeWithTheStoredPositionOfEachRow() {
        assertThat(queries.prices())
                .isEqualTo("SELECT date, open, high, low, close, volume, market, lineage, kafka_topic, "
                        + "kafka_partition, kafka_offset FROM ks.prices_by_series WHERE dataset = ? AND symbol = ? AND date >= ? "
                        + "AND date <= ?");
    }

    @Test
    void readsASeriesUpToADayWithItsWholeLineage() {
        assertThat(queries.stored())
                .isEqualTo("SELECT date, open, high, low, close, volume, market, lineage, kafka_topic, "
                        + "kafka_partition, kafka_offset, upload_id, file_line, raw_topic, raw_partition, raw_offset, ingest_version, "
                        + "received_at FROM ks.prices_by_series WHERE dataset = ? AND symbol = ? AND date <= ?");
    }

    @Test
    void namesTheSourceOfATrainingSet() {
        assertThat(TrainingQueries.source("crypto")).isEqualTo("cassandra prices_by_series dataset=crypto");
    }
}

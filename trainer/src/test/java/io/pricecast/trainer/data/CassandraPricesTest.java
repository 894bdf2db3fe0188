package io.pricecast.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.Prediction;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.trainer.rescore.Rescorer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Training data and re-scoring read from the sink's real tables on a real Cassandra node. */
@ExtendWith(RealStack.class)
class CassandraPricesTest {

    private static final String DATASET = "stored";
    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void readsStoredSeriesWithTheirKafkaOffsetsAndTheSameContentHashAsTheRows(StackEndpoints stack) {
        String keyspace = stack.createKeyspace("trainer");
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        Map<String, List<DailyPrice>> synthetic = SyntheticPrices.generate(2, 40, LocalDate.of(2024, 1, 1), 9);
        series.put("BTC", synthetic.get("S0000"));
        series.put("LTC", synthetic.get("S0001"));
        try (CqlSession session = stack.cqlSession()) {
            store(session, keyspace, series);
            CassandraPrices prices = new CassandraPrices(session, keyspace);
            TrainingData all = prices.read(DATASET, List.of(), LocalDate.of(1970, 1, 1), LocalDate.of(9999, 1, 1), l -> { });
            assertThat(all.rowCount()).isEqualTo(80);
            assertThat(all.contentSha256()).isEqualTo(new TrainingData("memory", series, List.of()).contentSha256());
            // BTC rows at offsets 0..39 of partition 0, LTC at 100..139 of partition 1
            assertThat(all.offsets()).containsExactly(new OffsetRange("prices.clean", 0, 0, 39, 40),
                    new OffsetRange("prices.clean", 1, 100, 139, 40));

            TrainingData range = prices.read(DATASET, List.of("LTC"), LocalDate.of(2024, 1, 11), LocalDate.of(2024, 1, 20), l -> { });
            assertThat(range.series()).containsOnlyKeys("LTC");
            assertThat(range.rowCount()).isEqualTo(10);
            assertThat(range.offsets()).containsExactly(new OffsetRange("prices.clean", 1, 110, 119, 10));

            assertThatThrownBy(() -> prices.read("nothing", List.of(), LocalDate.of(1970, 1, 1), LocalDate.of(2030, 1, 1), l -> { }))
                    .hasMessageContaining("dataset nothing has no stored prices");
        }
    }

    @Test
    void rescoreGivesTheStreamsForecastsWithWindowPositionsUnderTheChosenVersion(StackEndpoints stack) throws Exception {
        String keyspace = stack.createKeyspace("rescore");
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        series.put("BTC", SyntheticPrices.generate(1, 30, LocalDate.of(2024, 1, 1), 2).get("S0000"));
        series.put("NOPE", SyntheticPrices.generate(1, 30, LocalDate.of(2024, 1, 1), 3).get("S0000"));
        ModelBundle bundle = KerasImport.firstBundle();
        try (CqlSession session = stack.cqlSession()) {
            store(session, keyspace, series);
            CassandraPrices prices = new CassandraPrices(session, keyspace);
            Rescorer rescorer = new Rescorer(bundle, "code-test");
            LocalDate from = LocalDate.of(2024, 1, 10);
            LocalDate to = LocalDate.of(2024, 1, 19);
            List<Prediction> out = rescorer.rescore(DATASET, "BTC", prices.stored(DATASET, "BTC", to), from, to,
                    RECEIVED).orElseThrow();
            assertThat(rescorer.rescore(DATASET, "NOPE", prices.stored(DATASET, "NOPE", to), from, to, RECEIVED))
                    .as("a symbol the model has no scaler for").isEmpty();
            assertThat(out).hasSize(10);
            SeriesForecast offline = new Forecaster(bundle, new PlainJavaBiGru(bundle.weights()))
                    .forecast("BTC", series.get("BTC"));
            List<Forecast> forecasts = ((SeriesForecast.Forecasts) offline).forecasts();
            for (Prediction p : out) {
                Forecast f = forecasts.stream().filter(x -> x.basisDate().equals(p.getBaseDate())).findFirst().orElseThrow();
                assertThat(p.getPredOpen()).isCloseTo(f.predictedOpen(), within(1e-9 * Math.abs(f.predictedOpen())));
                assertThat(p.getTargetDate()).isEqualTo(p.getBaseDate().plusDays(1));
                assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
                assertThat(p.getModelSha256()).isEqualTo(bundle.contentSha256());
                assertThat(p.getScoringVersion()).isEqualTo("rescore code-test");
                assertThat(p.getWindow()).hasSize(5);
                assertThat(p.getWindow().get(4).getOffset()).as("base row's offset")
                        .isEqualTo(p.getBaseDate().toEpochDay() - LocalDate.of(2024, 1, 1).toEpochDay());
                assertThat(p.getUploadId()).isEqualTo("upload-1");
            }
        }
    }

    /** Writes the series as the sink would: BTC on partition 0 from offset 0, the next symbol on 1 from 100. */
    private static void store(CqlSession session, String keyspace, Map<String, List<DailyPrice>> series) {
        SinkSchema.apply(session, keyspace);
        PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".prices_by_series (dataset, symbol, date, "
                + "open, high, low, close, volume, market, kafka_topic, kafka_partition, kafka_offset, upload_id, file_line, "
                + "ingest_version, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement symbol = session.prepare("INSERT INTO " + keyspace + ".symbols_by_dataset (dataset, symbol) VALUES (?, ?)");
        int partition = 0;
        for (Map.Entry<String, List<DailyPrice>> e : series.entrySet()) {
            session.execute(symbol.bind(DATASET, e.getKey()));
            long offset = partition * 100L;
            for (DailyPrice r : e.getValue()) {
                session.execute(insert.bind(DATASET, e.getKey(), r.date(), r.open(), r.high(), r.low(), r.close(), r.volume(),
                        r.market(), "prices.clean", partition, offset++, "upload-1", offset + 1, "ingest-test", RECEIVED));
            }
            partition++;
        }
    }
}

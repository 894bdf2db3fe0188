package io.pricecast.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.Accuracy;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.PriceWrites;
import io.pricecast.sink.cql.SinkSchema;
import io.pricecast.sink.cql.SymbolCatalog;
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
            TrainingData all =
                    prices.read(DATASET, List.of(), LocalDate.of(1970, 1, 1), LocalDate.of(9999, 1, 1), l -> {});
            assertThat(all.rowCount()).isEqualTo(80);
            assertThat(all.contentSha256()).isEqualTo(new TrainingData("memory", series, List.of()).contentSha256());
            // BTC rows at offsets 0..39 of partition 0, LTC at 100..139 of partition 1
            assertThat(all.offsets())
                    .containsExactly(
                            new OffsetRange("prices.clean", 0, 0, 39, 40),
                            new OffsetRange("prices.clean", 1, 100, 139, 40));

            TrainingData range =
                    prices.read(DATASET, List.of("LTC"), LocalDate.of(2024, 1, 11), LocalDate.of(2024, 1, 20), l -> {});
            assertThat(range.series()).containsOnlyKeys("LTC");
            assertThat(range.rowCount()).isEqualTo(10);
            assertThat(range.offsets()).containsExactly(new OffsetRange("prices.clean", 1, 110, 119, 10));

            assertThatThrownBy(() -> prices.read(
                            "nothing", List.of(), LocalDate.of(1970, 1, 1), LocalDate.of(2030, 1, 1), l -> {}))
                    .hasMessageContaining("dataset nothing has no stored prices");
        }
    }

    @Test
    void rescoreGivesTheStreamsForecastsWithWindowPositionsUnderTheChosenVersion(StackEndpoints stack)
            throws Exception {
        String keyspace = stack.createKeyspace("rescore");
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        series.put(
                "BTC",
                SyntheticPrices.generate(1, 30, LocalDate.of(2024, 1, 1), 2).get("S0000"));
        series.put(
                "NOPE",
                SyntheticPrices.generate(1, 30, LocalDate.of(2024, 1, 1), 3).get("S0000"));
        ModelBundle bundle = KerasImport.firstBundle();
        try (CqlSession session = stack.cqlSession()) {
            store(session, keyspace, series);
            CassandraPrices prices = new CassandraPrices(session, keyspace);
            Rescorer rescorer = new Rescorer(bundle, "code-test");
            LocalDate from = LocalDate.of(2024, 1, 10);
            LocalDate to = LocalDate.of(2024, 1, 19);
            Rescorer.Rescored rescored = rescorer.rescore(
                            DATASET, "BTC", prices.stored(DATASET, "BTC", to.plusDays(1)), from, to, RECEIVED)
                    .orElseThrow();
            List<Prediction> out = rescored.predictions();
            assertThat(rescorer.rescore(DATASET, "NOPE", prices.stored(DATASET, "NOPE", to), from, to, RECEIVED))
                    .as("a symbol the model has no scaler for")
                    .isEmpty();
            assertThat(out).hasSize(10);
            SeriesForecast offline =
                    new Forecaster(bundle, new PlainJavaBiGru(bundle.weights())).forecast("BTC", series.get("BTC"));
            List<Forecast> forecasts = ((SeriesForecast.Forecasts) offline).forecasts();
            for (Prediction p : out) {
                Forecast f = forecasts.stream()
                        .filter(x -> x.basisDate().equals(p.getBaseDate()))
                        .findFirst()
                        .orElseThrow();
                assertThat(p.getPredOpen()).isCloseTo(f.predictedOpen(), within(1e-9 * Math.abs(f.predictedOpen())));
                assertThat(p.getTargetDate()).isEqualTo(p.getBaseDate().plusDays(1));
                assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
                assertThat(p.getModelSha256()).isEqualTo(bundle.contentSha256());
                assertThat(p.getScoringVersion()).isEqualTo("rescore code-test");
                assertThat(p.getWindow()).hasSize(5);
                assertThat(p.getWindow().get(4).getOffset())
                        .as("base row's offset")
                        .isEqualTo(p.getBaseDate().toEpochDay()
                                - LocalDate.of(2024, 1, 1).toEpochDay());
                assertThat(p.getUploadId()).isEqualTo("upload-1");
            }
            // every forecast's day is stored: each is scored against its open, as the stream scores its own
            Map<LocalDate, Double> openOf = new TreeMap<>();
            series.get("BTC").forEach(d -> openOf.put(d.date(), d.open()));
            assertThat(rescored.accuracy()).hasSize(10);
            for (int i = 0; i < 10; i++) {
                Accuracy a = rescored.accuracy().get(i);
                Prediction p = out.get(i);
                assertThat(a.getPredictionId()).isEqualTo(p.getPredictionId());
                assertThat(a.getValOpen()).isEqualTo(openOf.get(p.getTargetDate()));
                assertThat(a.getAbsError()).isEqualTo(Math.abs(p.getPredOpen() - a.getValOpen()));
                assertThat(a.getNaiveAbsError()).isEqualTo(Math.abs(p.getBaseOpen() - a.getValOpen()));
                assertThat(a.getScored30()).as("the re-scored days so far").isEqualTo(i + 1);
                assertThat(a.getScoringVersion()).isEqualTo("rescore code-test");
                assertThat(a.getValTopic()).isEqualTo("prices.clean");
            }
        }
    }

    @Test
    void readsTheRowsTheSinkWritesWithTheirLineageColumn(StackEndpoints stack) {
        String keyspace = stack.createKeyspace("trainer_v3");
        try (CqlSession session = stack.cqlSession()) {
            SinkSchema.apply(session, keyspace);
            PriceWrites writes = new PriceWrites(session, keyspace, new SymbolCatalog(session, keyspace), "sink-test");
            List<DailyPrice> days =
                    SyntheticPrices.generate(1, 12, LocalDate.of(2024, 1, 1), 4).get("S0000");
            for (int i = 0; i < days.size(); i++) {
                DailyPrice d = days.get(i);
                PriceRecord record = PriceRecord.newBuilder()
                        .setDataset(DATASET)
                        .setSymbol("ETH")
                        .setSlug(null)
                        .setName(null)
                        .setDate(d.date())
                        .setOpen(d.open())
                        .setHigh(d.high())
                        .setLow(d.low())
                        .setClose(d.close())
                        .setVolume(d.volume())
                        .setMarket(d.market())
                        .setSource(RecordSource.UPLOAD)
                        .setUploadId("upload-3")
                        .setFileLine(i + 2L)
                        .setFileSha256("ab")
                        .setRawTopic(null)
                        .setRawPartition(null)
                        .setRawOffset(null)
                        .setIngestVersion("ingest-test")
                        .setReceivedAt(RECEIVED)
                        .build();
                writes.writes(record, new KafkaPosition("prices.accepted", 3, 500L + i))
                        .forEach(w -> session.execute(w.statement()));
            }
            CassandraPrices prices = new CassandraPrices(session, keyspace);
            TrainingData data =
                    prices.read(DATASET, List.of("ETH"), LocalDate.of(1970, 1, 1), LocalDate.of(9999, 1, 1), l -> {});
            assertThat(data.series().get("ETH")).isEqualTo(days);
            assertThat(data.offsets()).containsExactly(new OffsetRange("prices.accepted", 3, 500, 511, 12));
            List<StoredPrice> stored = prices.stored(DATASET, "ETH", LocalDate.of(9999, 1, 1));
            assertThat(stored.get(2))
                    .isEqualTo(new StoredPrice(
                            days.get(2),
                            "prices.accepted",
                            3,
                            502L,
                            "upload-3",
                            4L,
                            null,
                            null,
                            null,
                            "ingest-test",
                            RECEIVED));
        }
    }

    /** Writes the series as the sink would: BTC on partition 0 from offset 0, the next symbol on 1 from 100. */
    private static void store(CqlSession session, String keyspace, Map<String, List<DailyPrice>> series) {
        SinkSchema.apply(session, keyspace);
        PreparedStatement insert =
                session.prepare("INSERT INTO " + keyspace + ".prices_by_series (dataset, symbol, date, "
                        + "open, high, low, close, volume, market, kafka_topic, kafka_partition, kafka_offset, upload_id, file_line, "
                        + "ingest_version, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement symbol =
                session.prepare("INSERT INTO " + keyspace + ".symbols_by_dataset (dataset, symbol) VALUES (?, ?)");
        int partition = 0;
        for (Map.Entry<String, List<DailyPrice>> e : series.entrySet()) {
            session.execute(symbol.bind(DATASET, e.getKey()));
            long offset = partition * 100L;
            for (DailyPrice r : e.getValue()) {
                session.execute(insert.bind(
                        DATASET,
                        e.getKey(),
                        r.date(),
                        r.open(),
                        r.high(),
                        r.low(),
                        r.close(),
                        r.volume(),
                        r.market(),
                        "prices.clean",
                        partition,
                        offset++,
                        "upload-1",
                        offset + 1,
                        "ingest-test",
                        RECEIVED));
            }
            partition++;
        }
    }
}

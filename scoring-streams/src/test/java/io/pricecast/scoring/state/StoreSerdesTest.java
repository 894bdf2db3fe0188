package io.pricecast.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.model.accuracy.ForecastError;
import io.pricecast.model.accuracy.SeriesAccuracy;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.schemas.RejectReason;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StoreSerdesTest {

    private static WindowEntry entry(String topic, int day, long offset) {
        return new WindowEntry(
                new DailyPrice(LocalDate.of(2018, 1, 1).plusDays(day), 1 + day, 2 + day, 0.5, 1.5, 10, 0),
                topic,
                3,
                offset);
    }

    @Test
    void seriesWindowSurvivesItsStoreFormatAcrossTopics() {
        SeriesWindow window = SeriesWindow.EMPTY;
        for (int day = 0; day < 8; day++) {
            window = window.append(entry(day < 6 ? "prices.clean" : "prices.clean.v2", day, 100L + day));
        }
        SeriesWindow back = SeriesWindowSerde.serde()
                .deserializer()
                .deserialize("t", SeriesWindowSerde.serde().serializer().serialize("t", window));
        assertThat(back).isEqualTo(window);
        assertThat(back.entries()).hasSize(SeriesWindow.CAPACITY);
        assertThat(back.previousRef().getOffset()).isEqualTo(102L);
    }

    @Test
    void seriesHistorySurvivesItsStoreFormatWithItsAccuracyBookkeeping() {
        SeriesWindow window = SeriesWindow.EMPTY;
        for (int day = 0; day < 7; day++) {
            window = window.append(entry("prices.clean", day, 100L + day));
        }
        LocalDate d = LocalDate.of(2018, 1, 1);
        SeriesAccuracy accuracy = SeriesAccuracy.of(
                List.of(new SeriesAccuracy.Awaited("v2", d.plusDays(8), 12.5, 12.0)),
                Map.of(
                        "v1",
                        List.of(new ForecastError(d.plusDays(6), 0.5, 0.25), new ForecastError(d.plusDays(5), 1, 2))));
        SeriesHistory history = new SeriesHistory(window, accuracy);

        SeriesHistory back = SeriesHistorySerde.serde()
                .deserializer()
                .deserialize("t", SeriesHistorySerde.serde().serializer().serialize("t", history));

        assertThat(back.window()).isEqualTo(window);
        assertThat(back.accuracy().awaiting()).isEqualTo(accuracy.awaiting());
        assertThat(back.accuracy().errors()).isEqualTo(accuracy.errors());
    }

    /** A series store written by a build before the accuracy moved into the stream (the window alone) is still read. */
    @Test
    void seriesWindowsOfTheEarlierFormatAreReadAsAHistoryWithNothingScoredYet() {
        SeriesWindow window =
                SeriesWindow.EMPTY.append(entry("prices.clean", 0, 7)).append(entry("prices.clean", 1, 9));
        byte[] earlier = SeriesWindowSerde.serde().serializer().serialize("t", window);

        SeriesHistory back = SeriesHistorySerde.serde().deserializer().deserialize("t", earlier);

        assertThat(back.window()).isEqualTo(window);
        assertThat(back.accuracy().isEmpty()).isTrue();
    }

    @Test
    void aKnownActualSurvivesItsStoreFormat() {
        KnownActual actual = new KnownActual(13.25, new SeriesAccuracy.ValueRef("prices.clean", 3, 108));
        assertThat(KnownActual.serde()
                        .deserializer()
                        .deserialize("t", KnownActual.serde().serializer().serialize("t", actual)))
                .isEqualTo(actual);
    }

    @Test
    void uploadTallySurvivesItsStoreFormat() {
        UploadTally tally = UploadTally.start("d", 4)
                .withAccepted(1)
                .withDuplicate(2)
                .withRejected(RejectReason.OUT_OF_ORDER.code(), 3)
                .withRejected(RejectReason.OUT_OF_ORDER.code(), 4)
                .withForecasts(1, 5)
                .withNotForecast(RejectReason.UNKNOWN_SYMBOL.code(), 6);

        UploadTally back = UploadTallySerde.serde()
                .deserializer()
                .deserialize("t", UploadTallySerde.serde().serializer().serialize("t", tally));

        assertThat(back).isEqualTo(tally);
        assertThat(back.judged()).isEqualTo(4);
        assertThat(back.emitted()).isFalse();
        assertThat(back.published().emitted()).isTrue();
    }

    @Test
    void parkedWindowSurvivesItsStoreFormatWithTheInputBytesAsReceived() {
        SeriesWindow window =
                SeriesWindow.EMPTY.append(entry("prices.clean", 0, 7)).append(entry("prices.clean", 1, 9));
        Headers headers = new RecordHeaders().add("trace", new byte[] {1, 2}).add("empty", null);
        byte[] value = {0, 0, 0, 0, 42, 7, 7, 7};
        ParkedWindow parked = new ParkedWindow("d|BTC", 42L, headers, value, window, "v2", "ab".repeat(32));

        ParkedWindow back = ParkedWindowSerde.serde()
                .deserializer()
                .deserialize("t", ParkedWindowSerde.serde().serializer().serialize("t", parked));
        assertThat(back.key()).isEqualTo("d|BTC");
        assertThat(back.timestamp()).isEqualTo(42L);
        assertThat(back.value()).containsExactly(value);
        assertThat(back.headers().toArray()).hasSize(2);
        assertThat(back.headers().lastHeader("trace").value()).containsExactly(1, 2);
        assertThat(back.headers().lastHeader("empty").value()).isNull();
        assertThat(back.series()).isEqualTo(window);
        assertThat(back.modelVersion()).isEqualTo("v2");
        assertThat(back.modelSha256()).isEqualTo("ab".repeat(32));
    }

    /** Format 1 (an Avro-encoded draft, written by builds before format 2) is not read any more. */
    @Test
    void parkedWindowOfAnotherFormatIsRefused() {
        byte[] formatOne = {1, 0, 0, 0, 0};

        assertThatThrownBy(() -> ParkedWindowSerde.serde().deserializer().deserialize("t", formatOne))
                .isInstanceOf(SerializationException.class)
                .hasMessage("parked window format 1 is not 2");
    }
}

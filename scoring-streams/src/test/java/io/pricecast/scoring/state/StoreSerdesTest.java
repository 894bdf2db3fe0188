package io.pricecast.scoring.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.Prediction;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.scoring.TestData;
import io.pricecast.scoring.TestModels;
import io.pricecast.scoring.lineage.Lineage;
import io.pricecast.scoring.model.LoadedModel;
import io.pricecast.model.network.PlainJavaBiGru;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class StoreSerdesTest {

    private static WindowEntry entry(String topic, int day, long offset) {
        return new WindowEntry(new DailyPrice(LocalDate.of(2018, 1, 1).plusDays(day), 1 + day, 2 + day, 0.5, 1.5, 10, 0),
                topic, 3, offset);
    }

    @Test
    void seriesWindowSurvivesItsStoreFormatAcrossTopics() {
        SeriesWindow window = SeriesWindow.EMPTY;
        for (int day = 0; day < 8; day++) {
            window = window.append(entry(day < 6 ? "prices.clean" : "prices.clean.v2", day, 100L + day));
        }
        SeriesWindow back = SeriesWindowSerde.serde().deserializer().deserialize("t",
                SeriesWindowSerde.serde().serializer().serialize("t", window));
        assertThat(back).isEqualTo(window);
        assertThat(back.entries()).hasSize(SeriesWindow.CAPACITY);
        assertThat(back.previousRef().getOffset()).isEqualTo(102L);
    }

    @Test
    void pendingScoreSurvivesItsStoreFormat() {
        LoadedModel model = new LoadedModel("v", TestModels.first(), new PlainJavaBiGru(TestModels.first().weights()));
        SeriesWindow window = SeriesWindow.EMPTY.append(entry("prices.clean", 0, 7));
        Prediction draft = new Lineage("code").draft(TestData.price("d", "BTC", LocalDate.of(2018, 1, 1), 1, 2, 0.5, 1.5, 10, 0,
                "u", 2L), window, model);
        float[] scaled = window.scaledWindow(model.bundle().scalers().forSymbol("BTC").orElseThrow());
        PendingScore pending = new PendingScore("d|BTC", 42L, draft, scaled);

        PendingScore back = PendingScoreSerde.serde().deserializer().deserialize("t",
                PendingScoreSerde.serde().serializer().serialize("t", pending));
        assertThat(back.key()).isEqualTo("d|BTC");
        assertThat(back.timestamp()).isEqualTo(42L);
        assertThat(back.draft()).isEqualTo(draft);
        assertThat(back.window()).hasSize(Features.WINDOW_SIZE).containsExactly(scaled);
    }
}

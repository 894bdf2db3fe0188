package io.pricecast.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PredictionIdTest {

    @Test
    void formatsAndParsesBackTheSameParts() {
        PredictionId id = new PredictionId("live", "BTC", LocalDate.of(2018, 1, 2), "ds-keras-v1");

        assertThat(id.toString()).isEqualTo("live|BTC|2018-01-02|ds-keras-v1");
        assertThat(PredictionId.parse(id.toString())).contains(id);
    }

    @Test
    void keepsASymbolThatContainsTheSeparator() {
        PredictionId id = new PredictionId("sample", "BITS|bitstar", LocalDate.of(2018, 1, 2), "v2");

        assertThat(PredictionId.parse(id.toString())).contains(id);
    }

    @Test
    void refusesTextThatIsNoPredictionId() {
        assertThat(PredictionId.parse("live|BTC|2018-01-02")).isEmpty();
        assertThat(PredictionId.parse("live|BTC|not-a-date|v1")).isEmpty();
        assertThat(PredictionId.parse("|BTC|2018-01-02|v1")).isEmpty();
        assertThat(PredictionId.parse("live|BTC|2018-01-02|")).isEmpty();
        assertThat(PredictionId.parse("")).isEmpty();
        assertThat(PredictionId.parse(null)).isEmpty();
    }
}

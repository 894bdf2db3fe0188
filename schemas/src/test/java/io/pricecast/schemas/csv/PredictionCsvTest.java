package io.pricecast.schemas.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictionCsvTest {

    @Test
    void writesNumbersLikePythonRepr() {
        assertThat(PredictionCsv.number(3.0)).isEqualTo("3.0");
        assertThat(PredictionCsv.number(105.12)).isEqualTo("105.12");
        assertThat(PredictionCsv.number(123.3239648651587)).isEqualTo("123.3239648651587");
        assertThat(PredictionCsv.number(12_345_678.0)).isEqualTo("12345678.0");
        assertThat(PredictionCsv.number(0.00012)).isEqualTo("0.00012");
        assertThat(PredictionCsv.number(0.000012)).isEqualTo("1.2e-05");
        assertThat(PredictionCsv.number(0.0)).isEqualTo("0.0");
    }
}

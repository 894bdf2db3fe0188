package io.pricecast.schemas.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvSafeTest {

    @Test
    void prefixesCellsThatSpreadsheetsWouldRunAsFormulas() {
        assertThat(CsvSafe.sanitize("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvSafe.sanitize("+1")).isEqualTo("'+1");
        assertThat(CsvSafe.sanitize("-1 Coin")).isEqualTo("'-1 Coin");
        assertThat(CsvSafe.sanitize("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvSafe.sanitize("\tx")).isEqualTo("'\tx");
        assertThat(CsvSafe.sanitize("\rx")).isEqualTo("'\rx");
        assertThat(CsvSafe.sanitize("=HYPERLINK(\"x\")")).isEqualTo("'=HYPERLINK(\"x\")");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertThat(CsvSafe.sanitize("Bitcoin")).isEqualTo("Bitcoin");
        assertThat(CsvSafe.sanitize("BTC")).isEqualTo("BTC");
        assertThat(CsvSafe.sanitize("")).isEmpty();
        assertThat(CsvSafe.sanitize(null)).isNull();
    }
}

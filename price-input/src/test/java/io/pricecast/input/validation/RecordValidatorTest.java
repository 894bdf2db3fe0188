package io.pricecast.input.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.schemas.RejectReason;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {

    private static final long LINE = 12;
    private final RecordValidator validator = new RecordValidator();

    @Test
    void acceptsAZeroMarketCapAndZeroVolume() {
        LineOutcome outcome = validate(Map.of(Fields.VOLUME, "0", Fields.MARKET, "0.0"));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        LineOutcome.Parsed.class,
                        parsed -> assertThat(parsed.row())
                                .extracting(PriceRow::market, PriceRow::line)
                                .containsExactly(0.0, LINE));
    }

    @Test
    void rejectsRowWhereHighIsBelowLow() {
        Rejection rejection = rejection(Map.of(Fields.HIGH, "0.5", Fields.OPEN, "0.7", Fields.CLOSE, "0.7"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.HIGH_BELOW_LOW);
        assertThat(rejection.field()).isEqualTo(Fields.HIGH);
        assertThat(rejection.message()).isEqualTo("line 12: field 'high' 0.5 is below field 'low' 1.0");
    }

    @Test
    void rejectsAnImpossibleCalendarDate() {
        assertThat(rejection(Map.of(Fields.DATE, "2019-02-30")).reason()).isEqualTo(RejectReason.BAD_DATE);
        assertThat(rejection(Map.of(Fields.DATE, "30/2/2019")).reason()).isEqualTo(RejectReason.BAD_DATE);
        assertThat(rejection(Map.of(Fields.DATE, "2019-2-3")).reason()).isEqualTo(RejectReason.BAD_DATE);
    }

    @Test
    void readsExactlyTheDecimalsOfTheDocumentedPattern() {
        java.util.regex.Pattern decimal =
                java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
        java.util.Random random = new java.util.Random(7);
        String alphabet = "0123456789+-.eE x\u0663";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(9); k > 0; k--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = text.toString();
            assertThat(RecordValidator.isDecimal(t))
                    .as("'%s'", t)
                    .isEqualTo(decimal.matcher(t).matches());
        }
    }

    @Test
    void readsIsoDatesWithAndWithoutTheFastPathAlike() {
        assertThat(validate(Map.of(Fields.DATE, "2016-02-29")))
                .isInstanceOfSatisfying(
                        LineOutcome.Parsed.class,
                        parsed -> assertThat(parsed.row().date()).isEqualTo(LocalDate.of(2016, 2, 29)));
        assertThat(rejection(Map.of(Fields.DATE, "2017-02-29")).message())
                .startsWith("line 12: field 'date' '2017-02-29' is not a real date");
        assertThat(rejection(Map.of(Fields.DATE, "2017-13-01")).reason()).isEqualTo(RejectReason.BAD_DATE);
        assertThat(rejection(Map.of(Fields.DATE, "2017-00-10")).reason()).isEqualTo(RejectReason.BAD_DATE);
        assertThat(rejection(Map.of(Fields.DATE, "2017-1a-10")).reason()).isEqualTo(RejectReason.BAD_DATE);
    }

    @Test
    void tellsNonFiniteFromNonNumericValues() {
        assertThat(rejection(Map.of(Fields.CLOSE, "Infinity")).reason()).isEqualTo(RejectReason.NON_FINITE);
        assertThat(rejection(Map.of(Fields.CLOSE, "1e999")).reason()).isEqualTo(RejectReason.NON_FINITE);
        assertThat(rejection(Map.of(Fields.CLOSE, "2.5d")).reason()).isEqualTo(RejectReason.BAD_NUMBER);
        assertThat(rejection(Map.of(Fields.CLOSE, "0x1p1")).reason()).isEqualTo(RejectReason.BAD_NUMBER);
    }

    @Test
    void rejectsNegativeVolumeAsBadNumberAndNamesTheField() {
        Rejection rejection = rejection(Map.of(Fields.VOLUME, "-1"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_NUMBER);
        assertThat(rejection.message()).contains("line 12", "'volume'", "negative");
    }

    @Test
    void rejectsCloseOutsideTheDaysRange() {
        Rejection rejection = rejection(Map.of(Fields.CLOSE, "3.5"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.PRICE_OUTSIDE_RANGE);
        assertThat(rejection.field()).isEqualTo(Fields.CLOSE);
    }

    @Test
    void namesTheFirstMissingField() {
        Rejection rejection = rejection(Map.of(Fields.LOW, " "));

        assertThat(rejection.reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejection.message()).isEqualTo("line 12: field 'low' is missing");
    }

    @Test
    void keepsFormulaLookingTextAsItCame() {
        LineOutcome outcome = validate(Map.of(Fields.NAME, "=HYPERLINK(\"x\")"));

        assertThat(((LineOutcome.Parsed) outcome).row().name()).isEqualTo("=HYPERLINK(\"x\")");
        assertThat(((LineOutcome.Parsed) outcome).row().date()).isEqualTo(LocalDate.of(2020, 1, 1));
    }

    private Rejection rejection(Map<String, String> overrides) {
        LineOutcome outcome = validate(overrides);
        assertThat(outcome).isInstanceOf(LineOutcome.Rejected.class);
        return ((LineOutcome.Rejected) outcome).rejection();
    }

    private LineOutcome validate(Map<String, String> overrides) {
        Map<String, String> fields = new HashMap<>(Map.of(
                Fields.SYMBOL,
                "BTC",
                Fields.DATE,
                "2020-01-01",
                Fields.OPEN,
                "2",
                Fields.HIGH,
                "3",
                Fields.LOW,
                "1",
                Fields.CLOSE,
                "2",
                Fields.VOLUME,
                "10",
                Fields.MARKET,
                "100"));
        fields.putAll(overrides);
        return validator.validate(fields::get, LINE, "line " + LINE, () -> "");
    }
}

package io.pricecast.input.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.schemas.RejectReason;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class MessageParserTest {

    private static final long OFFSET = 42;
    private final MessageParser parser = new MessageParser();

    @Test
    void readsAJsonObjectNamingItsDataset() {
        ParsedMessage message = parser.parseMessage(
                "{\"dataset\":\"live\",\"symbol\":\"BTC\",\"date\":\"2020-01-01\","
                        + "\"open\":2,\"high\":3,\"low\":1,\"close\":\"2.5\",\"volume\":0,\"market\":1.2E9,\"ranknow\":1}",
                OFFSET);

        assertThat(message.dataset()).contains("live");
        assertThat(row(message))
                .isEqualTo(new PriceRow("BTC", "", "", LocalDate.of(2020, 1, 1), 2, 3, 1, 2.5, 0, 1.2e9, OFFSET));
    }

    @Test
    void readsACsvLineInTheShortOrderWithAnOptionalSlug() {
        ParsedMessage plain = parser.parseMessage("BTC,1/1/2020,2,3,1,2,0,0", OFFSET);
        ParsedMessage withSlug = parser.parseMessage("BITS,2020-01-01,2,3,1,2,0,0,bitstar\r\n", OFFSET);

        assertThat(plain.dataset()).isEmpty();
        assertThat(row(plain).date()).isEqualTo(LocalDate.of(2020, 1, 1));
        assertThat(row(withSlug).slug()).isEqualTo("bitstar");
    }

    @Test
    void rejectsAMessageWithTheSameRulesAsAFileNamingTheOffset() {
        ParsedMessage message = parser.parseMessage("BTC,2020-01-01,2,1,3,2,0,0", OFFSET);

        assertThat(message.outcome()).isInstanceOfSatisfying(LineOutcome.Rejected.class, rejected -> {
            assertThat(rejected.rejection().reason()).isEqualTo(RejectReason.HIGH_BELOW_LOW);
            assertThat(rejected.rejection().message()).startsWith("offset 42:");
            assertThat(rejected.rejection().record()).isEqualTo("BTC,2020-01-01,2,1,3,2,0,0");
        });
    }

    @Test
    void rejectsExtraFieldsAndBrokenJson() {
        assertThat(reason(parser.parseMessage("BTC,2020-01-01,2,3,1,2,0,0,slug,more", OFFSET)))
                .isEqualTo(RejectReason.TOO_MANY_FIELDS);
        assertThat(reason(parser.parseMessage("{\"symbol\":\"BTC\",", OFFSET))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(parser.parseMessage("{\"symbol\":\"BTC\",\"date\":\"2020-01-01\"}", OFFSET)))
                .isEqualTo(RejectReason.MISSING_FIELD);
    }

    private static PriceRow row(ParsedMessage message) {
        assertThat(message.outcome()).isInstanceOf(LineOutcome.Parsed.class);
        return ((LineOutcome.Parsed) message.outcome()).row();
    }

    private static RejectReason reason(ParsedMessage message) {
        assertThat(message.outcome()).isInstanceOf(LineOutcome.Rejected.class);
        return ((LineOutcome.Rejected) message.outcome()).rejection().reason();
    }
}

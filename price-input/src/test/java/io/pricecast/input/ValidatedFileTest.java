package io.pricecast.input;

import static io.pricecast.input.TestFiles.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pricecast.input.batch.SharedTicker;
import io.pricecast.input.csv.Layout;
import io.pricecast.input.csv.UnknownLayoutException;
import io.pricecast.schemas.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatedFileTest {

    private static final String NOTEBOOK_HEADER =
            "symbol,,slug,name,date,ranknow,open,high,low,close,volume,market,close_ratio,spread";
    private static final String DUMP_HEADER =
            "slug,symbol,name,date,ranknow,open,high,low,close,volume,market,close_ratio,spread";

    @Test
    void acceptsEveryRowOfTheNotebookSample() throws IOException {
        ValidatedFile file = ValidatedFile.read(resource(TestFiles.SAMPLE));

        assertThat(file.layout()).isEqualTo(Layout.NOTEBOOK);
        assertThat(file.counts().total()).isEqualTo(1_095);
        assertThat(file.counts().accepted()).isEqualTo(1_095);
        assertThat(file.counts().rejectedTotal()).isZero();
        assertThat(file.rejections()).isEmpty();
        assertThat(file.series()).containsOnlyKeys("BTC", "LTC", "XRP");
        assertThat(file.series("BTC"))
                .hasSize(365)
                .isSortedAccordingTo((a, b) -> a.date().compareTo(b.date()));
        PriceRow first = file.series("BTC").get(0);
        assertThat(first)
                .isEqualTo(new PriceRow(
                        "BTC",
                        "bitcoin",
                        "Bitcoin",
                        LocalDate.of(2013, 8, 4),
                        104.95,
                        105.95,
                        103.52,
                        105.14,
                        0.0,
                        1207100000.0,
                        2));
    }

    @Test
    void ordersRowsBySeriesThenDateWhateverTheFileOrder() throws IOException {
        ValidatedFile file = read("symbol,date,open,high,low,close,volume,market\n"
                + "LTC,2020-01-02,2,3,1,2,0,0\n"
                + "BTC,2020-01-02,2,3,1,2,0,0\n"
                + "LTC,2020-01-01,2,3,1,2,0,0\n"
                + "BTC,2020-01-01,2,3,1,2,0,0\n");

        assertThat(file.rows())
                .extracting(PriceRow::symbol, PriceRow::line)
                .containsExactly(tuple("BTC", 5L), tuple("BTC", 3L), tuple("LTC", 4L), tuple("LTC", 2L));
    }

    @Test
    void readsBomCrlfAndQuotedNamesWithCommas() throws IOException {
        String text = "\uFEFF" + NOTEBOOK_HEADER + "\r\n"
                + "BTC,0,bitcoin,\"Bitcoin, the \"\"original\"\"\",2020-01-01,1,100,110,90,105,0,0,0.5,20\r\n"
                + "BTC,1,bitcoin,Bitcoin,2020-01-02,1,100,110,90,105,0,0,0.5,20\r\n";

        ValidatedFile file = read(text);

        assertThat(file.layout()).isEqualTo(Layout.NOTEBOOK);
        assertThat(file.rejections()).isEmpty();
        assertThat(file.series("BTC"))
                .extracting(PriceRow::name, PriceRow::line)
                .containsExactly(tuple("Bitcoin, the \"original\"", 2L), tuple("Bitcoin", 3L));
    }

    @Test
    void readsDayMonthYearDates() throws IOException {
        ValidatedFile file = read("symbol,date,open,high,low,close,volume,market\n"
                + "BTC,4/8/2013,2,3,1,2,0,0\n"
                + "BTC,31/12/2013,2,3,1,2,0,0\n");

        assertThat(file.series("BTC"))
                .extracting(PriceRow::date)
                .containsExactly(LocalDate.of(2013, 8, 4), LocalDate.of(2013, 12, 31));
    }

    @Test
    void keepsTheCoinsOfASharedTickerApart() throws IOException {
        ValidatedFile file = read(DUMP_HEADER + "\n"
                + "bitstar,BITS,Bitstar,2018-01-01,900,1,2,0.5,1,10,100,0.5,1.5\n"
                + "bitswift,BITS,Bitswift,2018-01-01,800,3,4,2,3,10,100,0.5,2\n"
                + "bitstar,BITS,Bitstar,2018-01-02,900,1,2,0.5,1,10,100,0.5,1.5\n"
                + "bitcoin,BTC,Bitcoin,2018-01-01,1,3,4,2,3,10,100,0.5,2\n");

        assertThat(file.series()).containsOnlyKeys("BITS@bitstar", "BITS@bitswift", "BTC");
        assertThat(file.series("BITS@bitstar")).hasSize(2);
        assertThat(file.counts().accepted()).isEqualTo(4);
        assertThat(file.sharedTickers())
                .singleElement()
                .extracting(SharedTicker::symbol)
                .isEqualTo("BITS");
        assertThat(file.sharedTickers().get(0).describe()).contains("BITS@bitstar", "BITS@bitswift");
    }

    @Test
    void refusesAnUnknownHeaderNamingIt() {
        assertThatThrownBy(() -> read("ticker,day,price\nBTC,2020-01-01,1\n"))
                .isInstanceOf(UnknownLayoutException.class)
                .hasMessageContaining("'ticker,day,price'")
                .hasMessageContaining(String.join(",", List.of("symbol", "date", "open")));
    }

    @Test
    void countsAnIdenticalRepeatAsDuplicateAndADifferentOneAsConflict() throws IOException {
        ValidatedFile file = read("symbol,date,open,high,low,close,volume,market\n"
                + "BTC,2020-01-01,2,3,1,2,0,0\n"
                + "BTC,2020-01-01,2,3,1,2,0,0\n"
                + "BTC,2020-01-01,2.5,3,1,2,0,0\n");

        assertThat(file.counts().accepted()).isEqualTo(1);
        assertThat(file.counts().duplicates()).isEqualTo(1);
        assertThat(file.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(RejectReason.CONFLICTING_DUPLICATE);
            assertThat(rejection.line()).isEqualTo(4);
            assertThat(rejection.message()).contains("line 4", "line 2");
        });
    }

    private static ValidatedFile read(String text) throws IOException {
        return ValidatedFile.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}

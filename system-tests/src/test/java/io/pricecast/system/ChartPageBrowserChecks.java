package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.testing.RequiredTools;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The sink's chart page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium with the driver named explicitly, so nothing is ever downloaded), against the
 * running system with the sample loaded. Every figure the page shows is checked against the pred URL's CSV.
 *
 * <p>Runs inside {@link SystemEndToEndTest} (as a nested class) to share its stack. Without Chromium it is
 * skipped with a message, except under CI ({@code CI=true}), where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ChartPageBrowserChecks {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ARTIFACTS = Path.of("target", "browser");
    private static final Duration PAGE_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SYMBOLS = List.of("BTC", "LTC", "XRP");

    private WebDriver driver;

    /** @return the sink's base URL */
    abstract String sinkUrl();

    /** @return the dataset holding the sample */
    abstract String dataset();

    @BeforeAll
    void startHeadlessChromium() throws Exception {
        RequiredTools.require(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is missing (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Files.createDirectories(ARTIFACTS);

        // the page's accuracy figures are scored just after the forecasts land: wait for the newest day
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode acc = getJson(sinkUrl() + "/accuracy?dataset=" + dataset());
            assertThat(acc.path("series").asInt()).isEqualTo(SYMBOLS.size());
            for (JsonNode row : acc.path("rows")) {
                assertThat(row.path("last_target_date").asText())
                        .isEqualTo(csv(row.path("symbol").asText()).lastScored().toString());
            }
        });
    }

    @AfterAll
    void quitChromium() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void pageLoadsWithTheDatasetAndASearchableSymbolList() {
        driver.get(sinkUrl() + "/chart?dataset=" + dataset());
        await().atMost(PAGE_WITHIN).until(() -> symbolList().size() == SYMBOLS.size());
        assertThat(symbolList()).containsExactlyElementsOf(SYMBOLS);
        assertThat(driver.findElement(By.id("dataset")).getAttribute("value")).isEqualTo(dataset());
        assertThat(js("return typeof echarts"))
                .as("the chart library, served from its WebJar")
                .isEqualTo("object");

        driver.findElement(By.id("symbol-search")).sendKeys("x");
        await().atMost(PAGE_WITHIN).until(() -> symbolList().equals(List.of("XRP")));
        driver.findElement(By.id("symbol-search")).clear();
        driver.findElement(By.id("symbol-search")).sendKeys("L");
        await().atMost(PAGE_WITHIN).until(() -> symbolList().equals(List.of("LTC")));
    }

    @Test
    @Order(2)
    void choosingASymbolDrawsBothSeriesWithTheCsvsPointsAndItsMad() throws Exception {
        for (String symbol : List.of("LTC", "BTC")) { // BTC last: the next tests look at it
            choose(symbol);
            SymbolCsv expected = csv(symbol);
            @SuppressWarnings("unchecked")
            List<Object> lengths = (List<Object>) js(
                    "const o = window.pricecastChart.chart.getOption();" + " return o.series.map(s => s.data.length);");
            assertThat(lengths)
                    .as("actual, predicted, tomorrow's forecast of " + symbol)
                    .containsExactly((Object) (long) expected.withActual(), (long) expected.rows.size(), 1L);
            double shown = Double.parseDouble(driver.findElement(By.id("mad")).getAttribute("data-mad"));
            assertThat(shown)
                    .as("MAD of " + symbol + " over the whole range")
                    .isCloseTo(expected.mad(null, null), within(1e-9 * expected.mad(null, null)));
            assertThat(driver.findElement(By.id("title")).getText()).contains(symbol, "MAD");
            CSVRecord last = expected.rows.get(expected.rows.size() - 1);
            assertThat(last.get("val_open")).isEmpty();
            assertThat(driver.findElement(By.id("tomorrow")).getText())
                    .as("the newest forecast, highlighted")
                    .endsWith("on " + last.get("date"));
        }
        await().atMost(PAGE_WITHIN)
                .until(() -> driver.findElement(By.id("accuracy")).getText().contains("ds-keras-v1"));
        assertThat(driver.findElement(By.id("dataset-flags")).getText()).contains("of 3 series flagged");
    }

    @Test
    @Order(3)
    void clickingAPointOpensTheLineageOfThatDaysForecast() throws Exception {
        SymbolCsv btc = csv("BTC");
        CSVRecord row = btc.rows.get(200);
        String date = row.get("date");
        List<?> at = (List<?>) js(
                "const c = window.pricecastChart.chart; const r = document.getElementById('chart')"
                        + ".getBoundingClientRect(); const p = c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [arguments[0],"
                        + " arguments[1]]); return [r.left + p[0], r.top + p[1]];",
                LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                Double.parseDouble(row.get("pred_open")));
        new Actions(driver)
                .moveToLocation((int) Math.round(((Number) at.get(0)).doubleValue()), (int)
                        Math.round(((Number) at.get(1)).doubleValue()))
                .click()
                .perform();
        await().atMost(PAGE_WITHIN)
                .until(() -> date.equals(driver.findElement(By.id("lineage")).getAttribute("data-date")));
        JsonNode lineage = JSON.readTree(driver.findElement(By.id("lineage")).getText());
        assertThat(lineage.path("target_date").asText()).isEqualTo(date);
        assertThat(lineage.path("symbol").asText()).isEqualTo("BTC");
        assertThat(lineage.path("pred_open").asDouble()).isEqualTo(Double.parseDouble(row.get("pred_open")));
        assertThat(lineage.path("window")).hasSize(5);
        assertThat(driver.findElement(By.id("lineage-link")).getAttribute("href"))
                .endsWith("/predictions/" + dataset() + "/BTC/" + date + "?model=ds-keras-v1");
        screenshot("chart-page.png");
    }

    @Test
    @Order(4)
    void zoomingShowsTheMadOfTheVisibleDaysOnly() throws Exception {
        SymbolCsv btc = csv("BTC");
        LocalDate to = btc.lastScored();
        LocalDate from = to.minusDays(59);
        js(
                "window.pricecastChart.chart.dispatchAction({type: 'dataZoom', dataZoomIndex: 0, startValue: arguments[0],"
                        + " endValue: arguments[1]});",
                millis(from),
                millis(to));
        double expected = btc.mad(from, to);
        await().atMost(PAGE_WITHIN)
                .untilAsserted(() -> assertThat(Double.parseDouble(
                                driver.findElement(By.id("mad")).getAttribute("data-mad")))
                        .isCloseTo(expected, within(1e-9 * expected)));
        assertThat(driver.findElement(By.id("mad-range")).getText()).isEqualTo("60 days, " + from + " to " + to);
        new Actions(driver).moveToLocation(5, 5).perform(); // the pointer off the plot: no tooltip in the picture
        js("window.pricecastChart.chart.dispatchAction({type: 'hideTip'});");
        screenshot("chart-page-zoomed.png");
    }

    @Test
    @Order(5)
    void rollingAccuracyOfTheSampleEqualsTheFiguresComputedFromThePredUrlCsv() throws Exception {
        JsonNode table = getJson(sinkUrl() + "/accuracy?dataset=" + dataset() + "&model=ds-keras-v1");
        int flagged = 0;
        for (String symbol : SYMBOLS) {
            SymbolCsv rows = csv(symbol);
            LocalDate last = rows.lastScored();
            JsonNode row = null;
            for (JsonNode r : table.path("rows")) {
                row = r.path("symbol").asText().equals(symbol) ? r : row;
            }
            assertThat(row).as(symbol).isNotNull();
            for (int days : new int[] {7, 30}) {
                LocalDate from = last.minusDays(days - 1L);
                assertThat(row.path("mad_" + days).asDouble())
                        .as(symbol + " MAD " + days)
                        .isCloseTo(rows.mad(from, last), within(1e-9 * rows.mad(from, last)));
                assertThat(row.path("naive_mad_" + days).asDouble())
                        .as(symbol + " naive MAD " + days)
                        .isCloseTo(rows.naiveMad(from, last), within(1e-9 * rows.naiveMad(from, last)));
            }
            boolean worse = rows.mad(last.minusDays(29), last) > rows.naiveMad(last.minusDays(29), last);
            assertThat(row.path("flagged").asBoolean()).isEqualTo(worse);
            flagged += worse ? 1 : 0;
        }
        assertThat(driver.findElement(By.id("dataset-flags")).getText()).startsWith(flagged + " of 3 series flagged");
    }

    private void choose(String symbol) {
        driver.findElement(By.id("symbol-search")).clear();
        driver.findElement(By.id("symbol-search")).sendKeys(symbol);
        // the list shows only the symbol from its first letter on, and is drawn again at each later key: an item
        // found after one drawing can be gone when clicked, so the click is retried on a stale element
        await().atMost(PAGE_WITHIN)
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    if (!symbolList().equals(List.of(symbol))) {
                        return false;
                    }
                    driver.findElement(By.cssSelector("#symbol-list li[data-symbol='" + symbol + "']"))
                            .click();
                    return true;
                });
        await().atMost(PAGE_WITHIN)
                .until(() -> driver.findElement(By.id("title")).getText().startsWith(symbol + " ")
                        && !driver.findElement(By.id("mad"))
                                .getAttribute("data-mad")
                                .isEmpty());
    }

    /**
     * The symbols the list shows, read in one script: the page redraws the list as its data arrives and as the search
     * changes, so an element found first and read afterwards may be gone by then (a stale element).
     */
    private List<String> symbolList() {
        List<String> result = new ArrayList<>();
        Object texts =
                js("return Array.from(document.querySelectorAll('#symbol-list li')).map(li => li.innerText.trim());");
        for (Object text : (List<?>) texts) {
            result.add(String.valueOf(text));
        }
        return result;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTIFACTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static long millis(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** One symbol's rows of the pred URL's CSV, and the figures computed from them alone. */
    private record SymbolCsv(List<CSVRecord> rows) {
        int withActual() {
            return (int) rows.stream().filter(r -> !r.get("val_open").isEmpty()).count();
        }

        LocalDate lastScored() {
            return rows.stream()
                    .filter(r -> !r.get("val_open").isEmpty())
                    .map(r -> LocalDate.parse(r.get("date")))
                    .max(LocalDate::compareTo)
                    .orElseThrow();
        }

        /** mean(|pred_open - val_open|) over the rows with an actual, within [from, to] when given. */
        double mad(LocalDate from, LocalDate to) {
            double sum = 0;
            int n = 0;
            for (CSVRecord r : rows) {
                LocalDate d = LocalDate.parse(r.get("date"));
                if (r.get("val_open").isEmpty() || from != null && d.isBefore(from) || to != null && d.isAfter(to)) {
                    continue;
                }
                sum += Math.abs(Double.parseDouble(r.get("pred_open")) - Double.parseDouble(r.get("val_open")));
                n++;
            }
            return sum / n;
        }

        /** The naive forecast of day T is the actual open of day T-1: mean(|val_open(T-1) - val_open(T)|) over [from, to]. */
        double naiveMad(LocalDate from, LocalDate to) {
            java.util.Map<String, Double> actual = new java.util.HashMap<>();
            rows.stream()
                    .filter(r -> !r.get("val_open").isEmpty())
                    .forEach(r -> actual.put(r.get("date"), Double.parseDouble(r.get("val_open"))));
            double sum = 0;
            int n = 0;
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                Double today = actual.get(d.toString());
                if (today != null) {
                    sum += Math.abs(actual.get(d.minusDays(1).toString()) - today);
                    n++;
                }
            }
            return sum / n;
        }
    }

    private SymbolCsv csv(String symbol) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(sinkUrl() + "/predictions.csv?dataset=" + dataset() + "&symbols=" + symbol))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new SymbolCsv(CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(r.body()))
                .getRecords());
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}

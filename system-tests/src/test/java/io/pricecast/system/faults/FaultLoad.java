package io.pricecast.system.faults;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady, deterministic load for one fault: CSV uploads to the ingest service's test URL and console
 * records produced to {@code prices.raw}, both paced by a scheduler, with some deliberately bad records so
 * that rejections are part of the ledger. Every record is entered in the {@link Ledger.Expected} once it is
 * in the system: an upload when the service answered 202 (the body is stored), a console record when Kafka
 * acknowledged it.
 *
 * <p>Each upload goes to a dataset of its own ({@code <fault>-up<i>}), so the expected outcome of every line
 * depends on nothing but the file; the console records go to {@code <fault>-console}, one series per symbol,
 * keyed by symbol so that a series stays in order on one partition of {@code prices.raw}.
 */
final class FaultLoad implements AutoCloseable {

    /** Symbols the first model has scalers for: each accepted record of theirs yields one forecast. */
    static final List<String> UPLOAD_SYMBOLS = List.of("BTC", "LTC", "XRP", "NMC");

    static final List<String> CONSOLE_SYMBOLS = List.of("PPC", "FTC", "WDC");
    /** A symbol the model does not know: accepted by ingest, rejected by scoring ({@code unknown_symbol}). */
    static final String UNKNOWN_SYMBOL = "ZZZ";

    static final String SHORT_HEADER = "symbol,date,open,high,low,close,volume,market";
    private static final LocalDate FIRST_DAY = LocalDate.of(2031, 1, 1);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How much load and how fast.
     *
     * @param ticks        console ticks (one record per console symbol per tick, one day each)
     * @param tickEvery    time between ticks
     * @param uploadEvery  an upload every this many ticks
     * @param uploadDays   days per symbol in one upload
     * @param badEvery     a bad console message every this many ticks
     */
    record Shape(int ticks, Duration tickEvery, int uploadEvery, int uploadDays, int badEvery) {
        Duration duration() {
            return tickEvery.multipliedBy(ticks);
        }
    }

    private final String fault;
    private final Shape shape;
    /** Every ingest instance: a request that finds one down goes to the next, as a client behind a balancer. */
    private final List<String> ingestUrls;

    private final Ledger.Expected expected;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService console =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "console-load"));
    private final ScheduledExecutorService uploads = Executors.newScheduledThreadPool(2, r -> daemon(r, "upload-load"));
    private final AtomicInteger ticksDone = new AtomicInteger();
    private final AtomicInteger consoleInFlight = new AtomicInteger();
    private final AtomicInteger uploadsPending = new AtomicInteger();
    private final AtomicInteger uploadAttemptsFailed = new AtomicInteger();
    private final AtomicInteger uploadResends = new AtomicInteger();
    private final List<String> sendFailures = new CopyOnWriteArrayList<>();
    private final Map<String, Upload> uploadsById = new ConcurrentHashMap<>();

    /** One upload: its dataset, file and the id the service gave it. */
    record Upload(String dataset, String csv, String id) {}

    FaultLoad(String fault, Shape shape, String ingestUrl, String kafkaBootstrap) {
        this(fault, shape, List.of(ingestUrl), kafkaBootstrap);
    }

    FaultLoad(String fault, Shape shape, List<String> ingestUrls, String kafkaBootstrap) {
        this.fault = fault;
        this.shape = shape;
        this.ingestUrls = List.copyOf(ingestUrls);
        this.expected = new Ledger.Expected(fault);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a broker restart must delay console records, never lose them: retry for minutes
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                Duration.ofMinutes(5).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(5).toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** @return what the system must end up holding for this load (grows while the load runs) */
    Ledger.Expected expected() {
        return expected;
    }

    /** Starts the ticks and the uploads. */
    FaultLoad start() {
        console.scheduleAtFixedRate(this::tick, 0, shape.tickEvery().toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i * shape.uploadEvery() < shape.ticks(); i++) {
            String dataset = fault + "-up" + i;
            String csv = uploadFile(dataset, i);
            uploadsPending.incrementAndGet();
            uploads.schedule(
                    () -> post(dataset, csv),
                    shape.tickEvery().toMillis() * i * shape.uploadEvery(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * @param fault a fault's name in the suite's table
     * @return the id of its load (the prefix of its datasets): the name in letters, digits and dashes, at most 40
     *     characters
     */
    static String id(String fault) {
        String id = fault.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        return id.length() > 40 ? id.substring(0, 40) : id;
    }

    /** Waits until {@code ticks} ticks have run: the moment a fault is injected. */
    void awaitTicks(int ticks) {
        await().atMost(shape.duration().plusSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ticksDone() >= ticks);
    }

    /** @return whether every tick ran, every console record is acknowledged and every upload was received */
    boolean allSent() {
        return ticksDone.get() >= shape.ticks() && consoleInFlight.get() == 0 && uploadsPending.get() == 0;
    }

    /** @return console ticks done so far */
    int ticksDone() {
        return ticksDone.get();
    }

    /** @return console sends that failed for good (a failure of the test's load, reported as such) */
    List<String> sendFailures() {
        return sendFailures;
    }

    /** @return upload POSTs refused or cut off and retried by the load (the client side of a fault) */
    int uploadRetries() {
        return uploadAttemptsFailed.get();
    }

    /** @return received uploads sent again because they had stalled */
    int uploadResends() {
        return uploadResends.get();
    }

    /** @return the uploads the service received, by upload id */
    Map<String, Upload> uploads() {
        return uploadsById;
    }

    /**
     * Sends an upload again, as a client does when its upload failed (docs/ingest-service.md: a repeat of a
     * failed upload resumes it).
     *
     * @param upload the upload
     */
    void resend(Upload upload) {
        uploadResends.incrementAndGet();
        uploadsPending.incrementAndGet();
        uploads.execute(() -> post(upload.dataset(), upload.csv()));
    }

    /**
     * What the ingest service says about an upload.
     *
     * @param status  "published", "failed", "publishing", ..., or "unreachable"
     * @param running whether the answering instance is publishing it now (its answer shows {@code progress})
     */
    record UploadState(String status, boolean running) {
        boolean published() {
            return "published".equals(status);
        }

        /** @return whether a client should send it again: not published and nobody answering is working on it */
        boolean stalled() {
            return !published() && !running && !"unreachable".equals(status);
        }
    }

    /**
     * @param id an upload id
     * @return its state at the ingest service
     */
    UploadState uploadState(String id) {
        UploadState state = new UploadState("unreachable", false);
        for (String ingestUrl : ingestUrls) {
            state = uploadState(ingestUrl, id);
            if (!state.status().equals("unreachable")) {
                return state;
            }
        }
        return state;
    }

    private UploadState uploadState(String ingestUrl, String id) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(ingestUrl + "/uploads/" + id))
                            .timeout(HTTP_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new UploadState("unreachable", false);
            }
            JsonNode body = JSON.readTree(r.body());
            return new UploadState(body.path("status").asText(), body.has("progress"));
        } catch (IOException e) {
            return new UploadState("unreachable", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new UploadState("unreachable", false);
        }
    }

    private void tick() {
        int t = ticksDone.get();
        if (t >= shape.ticks()) {
            return;
        }
        String dataset = fault + "-console";
        LocalDate day = FIRST_DAY.plusDays(t);
        List<String> symbols = new ArrayList<>(CONSOLE_SYMBOLS);
        symbols.add(UNKNOWN_SYMBOL);
        for (String symbol : symbols) {
            double[] ohlc = prices(dataset, symbol, t);
            String json = String.format(
                    Locale.ROOT,
                    "{\"dataset\":\"%s\",\"symbol\":\"%s\",\"date\":\"%s\",\"open\":%s,\"high\":%s,"
                            + "\"low\":%s,\"close\":%s,\"volume\":%d,\"market\":%d}",
                    dataset,
                    symbol,
                    day,
                    ohlc[0],
                    ohlc[1],
                    ohlc[2],
                    ohlc[3],
                    1_000 + t,
                    50_000 + t);
            Ledger.Item item = symbol.equals(UNKNOWN_SYMBOL)
                    ? Ledger.Item.rejection(dataset, Ledger.rejectionOfRecord("unknown_symbol", symbol, day))
                    : Ledger.Item.prediction(dataset, symbol, day);
            send(symbol, json, item);
        }
        if (t % shape.badEvery() == shape.badEvery() - 1) {
            String json = String.format(
                    Locale.ROOT,
                    "{\"dataset\":\"%s\",\"symbol\":\"%s\",\"date\":\"%s\",\"open\":\"not-a-number-%d\","
                            + "\"high\":2,\"low\":1,\"close\":1.5,\"volume\":1,\"market\":1}",
                    dataset,
                    CONSOLE_SYMBOLS.get(0),
                    day,
                    t);
            send(
                    CONSOLE_SYMBOLS.get(0),
                    json,
                    Ledger.Item.rejection(dataset, Ledger.rejectionOfText("bad_number", json)));
        }
        ticksDone.incrementAndGet();
    }

    private void send(String key, String value, Ledger.Item item) {
        consoleInFlight.incrementAndGet();
        producer.send(new ProducerRecord<>(Topics.PRICES_RAW.name(), key, value), (metadata, error) -> {
            if (error == null) {
                expected.add(item);
            } else {
                sendFailures.add(value + ": " + error);
            }
            consoleInFlight.decrementAndGet();
        });
    }

    /**
     * The file of upload {@code index}: every upload symbol and the unknown one for {@code uploadDays} days, then
     * a row with high below low and a row with an unreadable open, each on a day of its own.
     */
    private String uploadFile(String dataset, int index) {
        StringBuilder csv = new StringBuilder(SHORT_HEADER).append('\n');
        long line = 2;
        List<String> symbols = new ArrayList<>(UPLOAD_SYMBOLS);
        symbols.add(UNKNOWN_SYMBOL);
        List<Ledger.Item> items = new ArrayList<>();
        for (String symbol : symbols) {
            for (int d = 0; d < shape.uploadDays(); d++) {
                LocalDate day = FIRST_DAY.plusDays(d);
                double[] ohlc = prices(dataset, symbol, d);
                csv.append(String.format(
                        Locale.ROOT,
                        "%s,%s,%s,%s,%s,%s,%d,%d%n",
                        symbol,
                        day,
                        ohlc[0],
                        ohlc[1],
                        ohlc[2],
                        ohlc[3],
                        10_000 + d,
                        900_000 + index));
                items.add(
                        symbol.equals(UNKNOWN_SYMBOL)
                                ? Ledger.Item.rejection(dataset, Ledger.rejectionOfLine("unknown_symbol", line))
                                : Ledger.Item.prediction(dataset, symbol, day));
                line++;
            }
        }
        LocalDate later = FIRST_DAY.plusDays(shape.uploadDays() + 30L);
        csv.append(UPLOAD_SYMBOLS.get(0)).append(',').append(later).append(",100,90,95,95,1,1\n");
        items.add(Ledger.Item.rejection(dataset, Ledger.rejectionOfLine("high_below_low", line++)));
        csv.append(UPLOAD_SYMBOLS.get(1)).append(',').append(later.plusDays(1)).append(",abc,110,90,100,1,1\n");
        items.add(Ledger.Item.rejection(dataset, Ledger.rejectionOfLine("bad_number", line)));
        expected.plan(dataset, items);
        return csv.toString();
    }

    private void post(String dataset, String csv) {
        post(dataset, csv, 0);
    }

    /** An upload's attempt {@code attempt} goes to the next ingest instance after the one the previous attempt tried. */
    private void post(String dataset, String csv, int attempt) {
        String ingestUrl = ingestUrls.get(Math.floorMod(dataset.hashCode() + attempt, ingestUrls.size()));
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            ingestUrl + "/uploads?dataset=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8)))
                    .header("Content-Type", "text/csv")
                    .timeout(HTTP_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(csv))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                JsonNode body = JSON.readTree(r.body());
                String id = body.path("upload_id").asText();
                uploadsById.put(id, new Upload(dataset, csv, id));
                expected.received(dataset, id);
                uploadsPending.decrementAndGet();
                return;
            }
        } catch (IOException e) {
            // the service is down or was cut off mid-request: retried below, like a client would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        uploadAttemptsFailed.incrementAndGet();
        uploads.schedule(() -> post(dataset, csv, attempt + 1), RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A valid day of a random walk: low ≤ open, close ≤ high, all positive, the same for the same inputs. */
    private static double[] prices(String dataset, String symbol, int day) {
        Random r = new Random((dataset + "|" + symbol).hashCode() * 31L + day);
        double base = 100 + (Math.abs((dataset + symbol).hashCode()) % 900) + day * (r.nextDouble() - 0.4);
        double open = round(base * (1 + 0.01 * r.nextDouble()));
        double close = round(base * (1 + 0.01 * r.nextDouble()));
        double high = round(Math.max(open, close) * (1 + 0.02 * r.nextDouble()) + 0.01);
        double low = round(Math.min(open, close) * (1 - 0.02 * r.nextDouble()) - 0.01);
        return new double[] {open, high, low, close};
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        console.shutdownNow();
        uploads.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }
}

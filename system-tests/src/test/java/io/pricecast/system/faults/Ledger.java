package io.pricecast.system.faults;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.testing.CommittedRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The ledger of a fault: every input record must be in Cassandra exactly once, as a forecast
 * ({@code predictions_by_series}) or as a refusal ({@code rejections_by_upload}); none missing, none twice.
 *
 * <p>Cassandra's primary keys make a forecast row an upsert, so a forecast published twice would still be
 * one row there: duplicates are therefore counted where they would show, in the {@code read_committed}
 * view of the {@code prices.clean}, {@code prices.accepted} and {@code predictions} topics (one record per input day and per
 * forecast), and in the refusals table, whose key holds the refusal's Kafka offset (a refusal published
 * twice is two rows).
 */
final class Ledger {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final CqlSession session;
    private final String bootstrap;
    private final AvroSerdes serdes;
    private final PreparedStatement symbols;
    private final PreparedStatement predictions;
    private final PreparedStatement rejections;
    private final PreparedStatement writeTimes;

    Ledger(CqlSession session, String keyspace, String bootstrap, String registryUrl) {
        this.session = session;
        this.bootstrap = bootstrap;
        this.serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, registryUrl);
        this.symbols = session.prepare("SELECT symbol FROM " + keyspace + ".symbols_by_dataset WHERE dataset = ?");
        this.predictions = session.prepare(
                "SELECT base_date FROM " + keyspace + ".predictions_by_series WHERE dataset = ? AND symbol = ?");
        this.rejections = session.prepare("SELECT dataset, reason, file_line, raw, symbol, date FROM " + keyspace
                + ".rejections_by_upload WHERE upload_id = ?");
        this.writeTimes = session.prepare("SELECT WRITETIME(pred_open) FROM " + keyspace
                + ".predictions_by_series WHERE dataset = ? AND symbol = ?");
    }

    /**
     * The stall of a fault: the longest time no forecast was persisted while it lasted, from Cassandra's write time of
     * every forecast of the load (the sink's clock, microseconds).
     *
     * @param expected what was sent
     * @param from     when the fault began
     * @param to       when it ended (the faulted part restarted)
     * @return the longest gap between consecutive forecast writes that overlaps {@code [from, to]}, with the writes
     *     just before {@code from} and just after {@code to} as its ends
     */
    Duration stall(Expected expected, Instant from, Instant to) {
        List<Long> micros = new ArrayList<>();
        for (String dataset : expected.datasets()) {
            for (Row s : session.execute(symbols.bind(dataset))) {
                for (Row w : session.execute(writeTimes.bind(dataset, s.getString(0)))) {
                    micros.add(w.getLong(0));
                }
            }
        }
        Collections.sort(micros);
        long fromMicros = from.toEpochMilli() * 1000;
        long toMicros = to.toEpochMilli() * 1000;
        long longest = 0;
        for (int i = 1; i < micros.size(); i++) {
            if (micros.get(i) >= fromMicros && micros.get(i - 1) <= toMicros) {
                longest = Math.max(longest, micros.get(i) - micros.get(i - 1));
            }
        }
        return Duration.ofNanos(longest * 1000);
    }

    /** What one input record must end as. */
    record Item(String dataset, boolean prediction, String key) {
        static Item prediction(String dataset, String symbol, LocalDate baseDate) {
            return new Item(dataset, true, symbol + "|" + baseDate);
        }

        static Item rejection(String dataset, String identity) {
            return new Item(dataset, false, identity);
        }
    }

    static String rejectionOfLine(String reason, long fileLine) {
        return reason + "|line " + fileLine;
    }

    static String rejectionOfRecord(String reason, String symbol, LocalDate day) {
        return reason + "|" + symbol + "|" + day;
    }

    static String rejectionOfText(String reason, String raw) {
        return reason + "|raw " + raw;
    }

    /** The records sent so far; an upload's lines count once the service received the upload. */
    static final class Expected {
        private final String fault;
        private final Map<String, List<Item>> planned = new ConcurrentHashMap<>();
        private final Set<Item> items = ConcurrentHashMap.newKeySet();
        private final Map<String, String> uploadIdByDataset = new ConcurrentHashMap<>();

        Expected(String fault) {
            this.fault = fault;
        }

        String fault() {
            return fault;
        }

        void plan(String dataset, List<Item> lines) {
            planned.put(dataset, List.copyOf(lines));
        }

        void received(String dataset, String uploadId) {
            if (uploadIdByDataset.putIfAbsent(dataset, uploadId) == null) {
                items.addAll(planned.get(dataset));
            }
        }

        void add(Item item) {
            items.add(item);
        }

        /** @return a copy of what was sent until now */
        Expected snapshot() {
            Expected copy = new Expected(fault);
            copy.items.addAll(items);
            copy.uploadIdByDataset.putAll(uploadIdByDataset);
            return copy;
        }

        Set<Item> items() {
            return Set.copyOf(items);
        }

        int records() {
            return items.size();
        }

        long predictions() {
            return items.stream().filter(Item::prediction).count();
        }

        Set<String> datasets() {
            Set<String> all = new HashSet<>();
            items.forEach(i -> all.add(i.dataset()));
            return all;
        }
    }

    /**
     * What Cassandra (and the topics, for duplicates) hold for the expected records' datasets.
     *
     * @param found       each item found, with the number of rows or records seen for it
     * @param missing     expected items not found
     * @param unexpected  items found that nothing sent asked for (meaningful once the load has ended: while it
     *                    runs, the console dataset holds records sent after a snapshot)
     * @param duplicated  extra copies: refusal rows beyond one, and (after {@link #withTopicDuplicates}) extra
     *                    committed records on prices.clean, prices.accepted and predictions
     */
    record Tally(
            Map<Item, Integer> found,
            Set<Item> missing,
            Set<Item> unexpected,
            int duplicated,
            List<String> duplicateSamples) {
        long predictionsOut() {
            return found.keySet().stream().filter(Item::prediction).count();
        }

        long rejectionsOut() {
            return found.keySet().stream().filter(i -> !i.prediction()).count();
        }

        boolean complete() {
            return missing.isEmpty();
        }

        /** @return how many are missing per dataset and kind, and a few of them */
        String describeMissing() {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            missing.forEach(
                    i -> counts.merge(i.dataset() + (i.prediction() ? " forecasts" : " refusals"), 1, Integer::sum));
            return missing.size() + " missing " + counts + ", e.g. "
                    + missing.stream().map(Item::toString).sorted().limit(8).toList();
        }
    }

    /**
     * Reads what Cassandra holds for the datasets of {@code expected}.
     *
     * @param expected what was sent
     * @return the tally (without topic duplicates)
     */
    Tally tally(Expected expected) {
        Map<Item, Integer> found = new HashMap<>();
        Set<String> datasets = expected.datasets();
        for (String dataset : datasets) {
            for (Row s : session.execute(symbols.bind(dataset))) {
                String symbol = s.getString(0);
                for (Row p : session.execute(predictions.bind(dataset, symbol))) {
                    found.merge(Item.prediction(dataset, symbol, p.getLocalDate(0)), 1, Integer::sum);
                }
            }
        }
        for (String uploadId : expected.uploadIdByDataset.values()) {
            for (Row r : session.execute(rejections.bind(uploadId))) {
                found.merge(
                        Item.rejection(
                                r.getString("dataset"), rejectionOfLine(r.getString("reason"), r.getLong("file_line"))),
                        1,
                        Integer::sum);
            }
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            for (Row r : session.execute(rejections.bind("no-upload-" + day))) {
                String dataset = r.getString("dataset");
                if (!datasets.contains(dataset)) {
                    continue;
                }
                String raw = r.getString("raw");
                String identity = raw != null
                        ? rejectionOfText(r.getString("reason"), raw)
                        : rejectionOfRecord(r.getString("reason"), r.getString("symbol"), r.getLocalDate("date"));
                found.merge(Item.rejection(dataset, identity), 1, Integer::sum);
            }
        }
        Set<Item> want = expected.items();
        Set<Item> missing = new HashSet<>(want);
        missing.removeAll(found.keySet());
        Set<Item> unexpected = new HashSet<>(found.keySet());
        unexpected.removeAll(want);
        int duplicated = 0;
        List<String> samples = new ArrayList<>();
        for (Map.Entry<Item, Integer> e : found.entrySet()) {
            if (e.getValue() > 1) {
                duplicated += e.getValue() - 1;
                samples.add("Cassandra " + e.getKey() + " x" + e.getValue());
            }
        }
        return new Tally(found, missing, unexpected, duplicated, samples);
    }

    /**
     * Adds the duplicates seen on the committed topics: an input day on {@code prices.clean} or {@code prices.accepted},
     * or a forecast on
     * {@code predictions} more than once.
     *
     * @param tally    the Cassandra tally
     * @param expected what was sent
     * @return the tally with them
     */
    Tally withTopicDuplicates(Tally tally, Expected expected) {
        Set<String> datasets = expected.datasets();
        Map<String, Integer> clean = countCommitted(
                Topics.PRICES_CLEAN.name(),
                PriceRecord.class,
                r -> datasets.contains(r.getDataset())
                        ? r.getDataset() + "|" + r.getSymbol() + "|" + r.getDate()
                        : null);
        Map<String, Integer> accepted = countCommitted(
                Topics.PRICES_ACCEPTED.name(),
                PriceRecord.class,
                r -> datasets.contains(r.getDataset())
                        ? r.getDataset() + "|" + r.getSymbol() + "|" + r.getDate()
                        : null);
        Map<String, Integer> forecasts = countCommitted(
                Topics.PREDICTIONS.name(),
                Prediction.class,
                r -> datasets.contains(r.getDataset())
                        ? r.getDataset() + "|" + r.getSymbol() + "|" + r.getBaseDate()
                        : null);
        int duplicated = tally.duplicated();
        List<String> samples = new ArrayList<>(tally.duplicateSamples());
        for (var topic : Map.of(
                        Topics.PRICES_CLEAN.name(),
                        clean,
                        Topics.PRICES_ACCEPTED.name(),
                        accepted,
                        Topics.PREDICTIONS.name(),
                        forecasts)
                .entrySet()) {
            for (Map.Entry<String, Integer> e : topic.getValue().entrySet()) {
                if (e.getValue() > 1) {
                    duplicated += e.getValue() - 1;
                    samples.add(topic.getKey() + " " + e.getKey() + " x" + e.getValue());
                }
            }
        }
        return new Tally(tally.found(), tally.missing(), tally.unexpected(), duplicated, samples);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> Map<String, Integer> countCommitted(
            String topic, Class<T> type, Function<T, String> key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Integer> counts = new HashMap<>();
        try (Deserializer<T> values = serdes.serde(type, false).deserializer()) {
            CommittedRecords.forEach(
                    p, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), READ_TIMEOUT, r -> {
                        String k = key.apply(values.deserialize(topic, r.value()));
                        if (k != null) {
                            counts.merge(k, 1, Integer::sum);
                        }
                    });
        }
        return counts;
    }
}

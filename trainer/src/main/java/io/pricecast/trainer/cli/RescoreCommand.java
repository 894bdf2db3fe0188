package io.pricecast.trainer.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.avro.Accuracy;
import io.pricecast.avro.Prediction;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.schemas.SeriesKeys;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.trainer.LifecycleSettings;
import io.pricecast.trainer.data.CassandraPrices;
import io.pricecast.trainer.data.StoredPrice;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.registry.RegistryState;
import io.pricecast.trainer.rescore.Rescorer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pricecast rescore}: predictions for stored history with a chosen model version. */
@Command(
        name = "rescore",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Re-scores a dataset's stored history (Cassandra prices_by_series) with a",
            "model version and publishes the predictions on the predictions topic, and each",
            "forecast whose target day is stored, scored against it, on the accuracy topic",
            "(the sink stores both). They carry that version, so they never overwrite another",
            "version's forecasts; scoring_version says 'rescore <code>'."
        })
public final class RescoreCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, description = "the dataset")
    String dataset;

    @Option(names = "--symbols", split = ",", description = "only these symbols (default: every symbol of the dataset)")
    List<String> symbols = List.of();

    @Option(names = "--from", description = "first base date (default: the series' first)")
    LocalDate from;

    @Option(names = "--to", description = "last base date (default: the series' newest)")
    LocalDate to;

    @Option(names = "--model", description = "the model version (default: the active one)")
    String model;

    @Option(names = "--file", description = "score with this bundle file instead of a published version")
    Path file;

    @Option(names = "--topic", description = "topic to publish the forecasts to (default: predictions)")
    String topic = Topics.PREDICTIONS.name();

    @Option(names = "--accuracy-topic", description = "topic to publish the scored forecasts to (default: accuracy)")
    String accuracyTopic = Topics.ACCURACY.name();

    @Override
    public Integer call() throws Exception {
        LifecycleSettings settings = LifecycleSettings.fromEnvironment(System.getenv());
        LocalDate first = from == null ? LocalDate.of(1970, 1, 1) : from;
        LocalDate last = to == null ? LocalDate.of(9999, 12, 31) : to;
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("--to " + last + " is before --from " + first);
        }
        ModelBundle bundle;
        if (file != null) {
            bundle = ModelBundle.read(file);
        } else {
            try (ModelRegistry registry = settings.registry()) {
                RegistryState state = registry.read();
                bundle = registry.bundle(state, model == null ? state.activeVersion() : model);
            }
        }
        System.err.println("rescore: model " + bundle.metadata().versionId() + " sha256 " + bundle.contentSha256());
        Rescorer rescorer = new Rescorer(bundle, CodeVersion.current());
        Properties p = settings.service().kafka().properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        AvroSerdes serdes = settings.service().serdes();
        long published = 0;
        long scored = 0;
        List<String> unknown = new ArrayList<>();
        Instant now = Instant.now();
        try (CqlSession session = settings.cql();
                KafkaProducer<String, Prediction> producer = new KafkaProducer<>(
                        p,
                        new StringSerializer(),
                        serdes.serde(Prediction.class, false).serializer());
                KafkaProducer<String, Accuracy> accuracy = new KafkaProducer<>(
                        p,
                        new StringSerializer(),
                        serdes.serde(Accuracy.class, false).serializer())) {
            CassandraPrices prices = new CassandraPrices(session, settings.keyspace());
            List<String> names = symbols.isEmpty() ? prices.symbols(dataset) : symbols;
            if (names.isEmpty()) {
                throw new IllegalArgumentException("dataset " + dataset + " has no symbols");
            }
            int done = 0;
            for (String symbol : names) {
                // the day after the range too: its actual scores the range's last forecast
                List<StoredPrice> rows = prices.stored(dataset, symbol, to == null ? last : last.plusDays(1));
                Optional<Rescorer.Rescored> rescored = rescorer.rescore(dataset, symbol, rows, first, last, now);
                if (rescored.isEmpty()) {
                    unknown.add(symbol);
                    continue;
                }
                String key = SeriesKeys.of(dataset, symbol);
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (Prediction prediction : rescored.get().predictions()) {
                    sent.add(producer.send(new ProducerRecord<>(topic, key, prediction)));
                }
                for (Accuracy a : rescored.get().accuracy()) {
                    sent.add(accuracy.send(new ProducerRecord<>(accuracyTopic, key, a)));
                }
                scored += rescored.get().accuracy().size();
                for (Future<RecordMetadata> f : sent) {
                    f.get();
                }
                published += rescored.get().predictions().size();
                if (++done % 100 == 0) {
                    System.err.printf("rescore: %d/%d symbols, %d predictions%n", done, names.size(), published);
                }
            }
        }
        if (!unknown.isEmpty()) {
            System.err.println("rescore: model " + bundle.metadata().versionId() + " has no scaler for "
                    + unknown.size() + " symbol(s), not scored: " + String.join(",", unknown));
        }
        System.out.printf(
                "rescored %s with %s: %d predictions published to %s, %d of them scored against their actuals to %s%n",
                dataset, bundle.metadata().versionId(), published, topic, scored, accuracyTopic);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new RescoreCommand(), "rescore", args));
    }
}

package io.pricecast.trainer.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.runtime.CodeVersion;
import io.pricecast.trainer.LifecycleSettings;
import io.pricecast.trainer.TrainingJob;
import io.pricecast.trainer.data.CassandraPrices;
import io.pricecast.trainer.data.SyntheticPrices;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pricecast train}: trains a model version on the pipeline's stored prices. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a new model version on a dataset's stored prices (Cassandra",
            "prices_by_series): a scaler for every symbol with enough history, and the BiGRU",
            "(DJL autograd, PyTorch engine). Writes the bundle, publishes it on the models",
            "topic, and promotes it only when it is not worse than the active model on the",
            "held-out tail (--promote). Progress goes to stderr."
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--dataset", defaultValue = "live", description = "dataset to train on (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--from", description = "first date of the training rows (default: all history)")
    LocalDate from;

    @Option(names = "--to", description = "last date of the training rows (default: all history)")
    LocalDate to;

    @Option(names = "--symbols", split = ",", description = "only these symbols (default: every symbol of the dataset)")
    List<String> symbols = List.of();

    @Option(
            names = "--synthetic",
            paramLabel = "SYMBOLSxDAYS",
            description =
                    "train on deterministic synthetic prices instead (e.g. 100x365; for benchmarks), no Cassandra")
    String synthetic;

    @Option(names = "--version-id", description = "the new version's id (default: trained-<yyyyMMdd-HHmmss>)")
    String version;

    @Option(
            names = "--out",
            defaultValue = "${env:PRICECAST_HOME:-.pricecast}/models",
            description = "directory for the bundle file (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--no-publish", description = "only write the bundle file, do not publish it")
    boolean noPublish;

    @Option(
            names = "--promote",
            defaultValue = "if-not-worse",
            description = "never | if-not-worse | always (default: ${DEFAULT-VALUE})")
    String promote;

    @Option(
            names = "--actor",
            defaultValue = "${env:USER:-unknown}",
            description = "recorded as who published (default: $USER)")
    String actor;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Override
    public Integer call() throws Exception {
        TrainingJob.Promotion promotion = TrainingJob.Promotion.parse(promote, "--promote");
        LifecycleSettings settings = LifecycleSettings.fromEnvironment(System.getenv());
        TrainingData data;
        if (synthetic != null) {
            String[] parts = synthetic.toLowerCase().split("x");
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        "--synthetic " + synthetic + ": expected SYMBOLSxDAYS, e.g. 100x365");
            }
            data = new TrainingData(
                    "synthetic " + synthetic + " seed 1",
                    SyntheticPrices.generate(
                            Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), LocalDate.of(2020, 1, 1), 1),
                    List.of());
        } else {
            try (CqlSession session = settings.cql()) {
                System.err.println("train: reading dataset " + dataset + " from Cassandra");
                data = new CassandraPrices(session, settings.keyspace())
                        .read(
                                dataset,
                                symbols,
                                from == null ? LocalDate.of(1970, 1, 1) : from,
                                to == null ? LocalDate.of(9999, 12, 31) : to,
                                line -> System.err.println("train: " + line));
            }
        }
        System.err.printf(
                "train: %d rows of %d symbols from %s to %s, rows sha256 %s%n",
                data.rowCount(), data.series().size(), data.firstDate(), data.lastDate(), data.contentSha256());
        String id = version == null ? TrainingJob.newVersionId(Instant.now()) : version;
        ModelRegistry registry = noPublish ? null : settings.registry();
        try {
            TrainingJob.Report report = TrainingJob.run(
                    data,
                    training.toConfig(),
                    id,
                    registry,
                    out,
                    promotion,
                    actor,
                    CodeVersion.current(),
                    line -> System.err.println("train: " + line));
            System.out.println(id + " " + report.outcome().bundle().contentSha256() + " " + report.decision());
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new TrainCommand(), "train", args));
    }
}

package io.pricecast.trainer.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pricecast.avro.ModelEvent;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.trainer.LifecycleSettings;
import io.pricecast.trainer.ModelsService;
import io.pricecast.trainer.data.CassandraPrices;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.evaluate.Evaluation;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.registry.RegistryState;
import io.pricecast.trainer.registry.RegistryViews;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pricecast models ...}: the model registry on the models topic. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "The model registry: versions on the compacted models topic, the active one,",
            "and the audit trail of promotions and rollbacks (who, when, why, from -> to).",
            "Scoring follows the active version without a restart."
        },
        subcommands = {
            ModelsCommand.ListCommand.class,
            ModelsCommand.Show.class,
            ModelsCommand.Publish.class,
            ModelsCommand.Promote.class,
            ModelsCommand.Rollback.class,
            ModelsCommand.Evaluate.class,
            ModelsCommand.Serve.class
        })
public final class ModelsCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        System.err.println(
                "models: name a subcommand: list, show, publish, promote, rollback, evaluate, serve (see --help)");
        return 2;
    }

    static void print(Object value) throws Exception {
        System.out.println(JSON.writeValueAsString(value));
    }

    /** Options every state-changing subcommand takes. */
    static final class Who {
        @Option(names = "--actor", defaultValue = "${env:USER:-unknown}", description = "who does it (default: $USER)")
        String actor;

        @Option(names = "--reason", required = true, description = "why (kept in the audit trail)")
        String reason;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Versions, the active one, and the audit trail.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry =
                    LifecycleSettings.fromEnvironment(System.getenv()).registry()) {
                RegistryState state = registry.read();
                if (json) {
                    print(RegistryViews.list(state));
                    return 0;
                }
                System.out.printf("%-28s %-64s %s%n", "VERSION", "SHA256", "");
                for (Map<String, Object> v :
                        (List<Map<String, Object>>) RegistryViews.list(state).get("versions")) {
                    System.out.printf(
                            "%-28s %-64s %s%n",
                            v.get("version"), v.get("sha256"), Boolean.TRUE.equals(v.get("active")) ? "ACTIVE" : "");
                }
                System.out.println();
                System.out.println("audit trail (oldest first):");
                for (ModelEvent e : state.audit()) {
                    System.out.printf(
                            "  %s  %-11s %s -> %s  by %s: %s%n",
                            e.getAt(),
                            e.getKind(),
                            e.getPreviousVersion(),
                            e.getVersion(),
                            e.getActor(),
                            e.getReason());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One version: sha256, training data, code version, hyper-parameters, metrics (JSON).")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "the version")
        String version;

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry =
                    LifecycleSettings.fromEnvironment(System.getenv()).registry()) {
                RegistryState state = registry.read();
                print(RegistryViews.show(state, registry.bundle(state, version)));
                return 0;
            }
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Publishes a bundle file (it does not become active).")
    static final class Publish implements Callable<Integer> {
        @Parameters(index = "0", description = "the bundle file (*.model.zip)")
        Path file;

        @picocli.CommandLine.Mixin
        Who who = new Who();

        @Override
        public Integer call() throws Exception {
            ModelBundle bundle = ModelBundle.read(file);
            try (ModelRegistry registry =
                    LifecycleSettings.fromEnvironment(System.getenv()).registry()) {
                registry.publish(bundle, who.actor, who.reason);
                System.out.println("published " + bundle.metadata().versionId() + " sha256 " + bundle.contentSha256());
                return 0;
            }
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Makes a published version active (scoring switches without restart).")
    static final class Promote implements Callable<Integer> {
        @Parameters(index = "0", description = "the version")
        String version;

        @picocli.CommandLine.Mixin
        Who who = new Who();

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry =
                    LifecycleSettings.fromEnvironment(System.getenv()).registry()) {
                ModelEvent e = registry.promote(version, who.actor, who.reason);
                System.out.println("promoted " + e.getPreviousVersion() + " -> " + e.getVersion());
                return 0;
            }
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Returns to the previously active version, or to any earlier one with --to.")
    static final class Rollback implements Callable<Integer> {
        @Option(names = "--to", description = "the version to return to (default: the one active before the current)")
        String to;

        @picocli.CommandLine.Mixin
        Who who = new Who();

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry =
                    LifecycleSettings.fromEnvironment(System.getenv()).registry()) {
                ModelEvent e = registry.rollback(Optional.ofNullable(to), who.actor, who.reason);
                System.out.println("rolled back " + e.getPreviousVersion() + " -> " + e.getVersion());
                return 0;
            }
        }
    }

    @Command(
            name = "evaluate",
            mixinStandardHelpOptions = true,
            description = {
                "Shadow evaluation: scores a dataset's recent history with a candidate next",
                "to the active model; prints both MADs and the naive one's (JSON). Writes nothing."
            })
    static final class Evaluate implements Callable<Integer> {
        @Parameters(index = "0", description = "the candidate version (published), or a bundle file with --file")
        String version;

        @Option(names = "--file", description = "read the candidate from this bundle file instead of the registry")
        Path file;

        @Option(names = "--dataset", defaultValue = "live", description = "dataset (default: ${DEFAULT-VALUE})")
        String dataset;

        @Option(
                names = "--days",
                defaultValue = "30",
                description = "forecast days evaluated, ending on the newest (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--symbols", split = ",", description = "only these symbols")
        List<String> symbols = List.of();

        @Override
        public Integer call() throws Exception {
            LifecycleSettings settings = LifecycleSettings.fromEnvironment(System.getenv());
            try (ModelRegistry registry = settings.registry();
                    CqlSession session = settings.cql()) {
                RegistryState state = registry.read();
                ModelBundle candidate = file != null ? ModelBundle.read(file) : registry.bundle(state, version);
                ModelBundle active = registry.bundle(state, state.activeVersion());
                TrainingData data = new CassandraPrices(session, settings.keyspace())
                        .read(
                                dataset,
                                symbols,
                                LocalDate.of(1970, 1, 1),
                                LocalDate.of(9999, 12, 31),
                                line -> System.err.println("evaluate: " + line));
                LocalDate from = data.lastDate().minusDays(days - 1L);
                print(Evaluation.run(candidate, active, data, from));
                return 0;
            }
        }
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = {
                "Runs the models service: the registry's HTTP API (changes need the token)",
                "and the weekly retraining (PRICECAST_TRAIN_SCHEDULE, default 'SUN 00:00' UTC)."
            })
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ModelsService.main(new String[0]);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new ModelsCommand(), "models", args));
    }
}

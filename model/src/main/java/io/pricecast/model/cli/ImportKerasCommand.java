package io.pricecast.model.cli;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code import-keras}: turns the data scientist's model.h5 + scaler.pkl into a model bundle. */
@Command(
        name = "import-keras",
        mixinStandardHelpOptions = true,
        description = {
            "Imports a Keras 2.2.4 BiGRU model (model.h5) and its pickled per-symbol scalers (scaler.pkl)",
            "into a pricecast model bundle, and prints the bundle's content sha256."
        })
public final class ImportKerasCommand implements Callable<Integer> {

    @Option(names = "--h5", required = true, description = "Keras model file (model.h5)")
    Path h5;

    @Option(names = "--scalers", required = true, description = "pickled scaler dict (scaler.pkl)")
    Path scalers;

    @Option(
            names = "--output",
            required = true,
            description = "bundle file to write (*" + ModelBundle.FILE_SUFFIX + ")")
    Path output;

    @Option(
            names = "--version-id",
            defaultValue = KerasImport.FIRST_VERSION_ID,
            description = "model version id (default: ${DEFAULT-VALUE})")
    String versionId;

    @Option(
            names = "--created-at",
            description = "creation time, ISO-8601 instant (default: now); "
                    + "not part of the content sha256, but part of the file's bytes")
    Instant createdAt;

    @Override
    public Integer call() throws Exception {
        Instant created = createdAt != null ? createdAt : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ModelBundle bundle = KerasImport.importFiles(h5, scalers, versionId, created);
        bundle.write(output);
        System.out.printf(
                "%s %s (%d symbols) written to %s%n",
                bundle.metadata().versionId(),
                bundle.contentSha256(),
                bundle.scalers().size(),
                output);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImportKerasCommand()).execute(args));
    }
}

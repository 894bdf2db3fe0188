package io.pricecast.scorefile.cli;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.scorefile.PriceFileSource;
import io.pricecast.scorefile.PriceInputSource;
import io.pricecast.scorefile.ScoreFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code score-file}: offline one-step-ahead predictions for a price CSV, written as the predictions CSV. */
@Command(
        name = "score-file",
        mixinStandardHelpOptions = true,
        description = {
            "Forecasts the next-day open of every row of a daily-price CSV and writes the predictions CSV",
            "(symbol,index,date,pred_open,val_open). Unknown symbols, invalid rows and progress go to stderr."
        })
public final class ScoreFileCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "daily-price CSV (notebook or crypto-markets layout)")
    Path input;

    @Option(names = "--output", required = true, description = "predictions CSV to write")
    Path output;

    @Option(
            names = "--model",
            description = "model bundle (default: the built-in " + KerasImport.FIRST_VERSION_ID + ")")
    Path model;

    @Option(
            names = "--engine",
            defaultValue = "auto",
            description = "forward pass: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ForwardEngine engine;

    @Option(
            names = "--threads",
            description = "PyTorch intra-op threads (default: " + DjlSettings.THREADS_ENV + " or 1)")
    Integer threads;

    private final PriceFileSource source;

    public ScoreFileCommand() {
        this(new PriceInputSource());
    }

    /** For embedding with another parser (the price-input module's). */
    public ScoreFileCommand(PriceFileSource source) {
        this.source = source;
    }

    @Override
    public Integer call() throws IOException {
        ModelBundle bundle = model == null ? KerasImport.firstBundle() : ModelBundle.read(model);
        DjlSettings settings = threads == null ? DjlSettings.fromEnvironment() : new DjlSettings(threads, 1);
        ForwardPass network = engine.create(bundle.weights(), settings);
        try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            System.err.printf(
                    "score-file: model %s sha256 %s, engine %s%n",
                    bundle.metadata().versionId(), bundle.contentSha256(), engine);
            new ScoreFile(source, new Forecaster(bundle, network), System.err).run(input, out);
        } finally {
            if (network instanceof AutoCloseable closeable) {
                close(closeable);
            }
        }
        return 0;
    }

    private static void close(AutoCloseable closeable) throws IOException {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("closing the forward pass failed", e);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScoreFileCommand()).execute(args));
    }
}

package io.pricecast.trainer;

import io.pricecast.avro.ModelEvent;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.fit.Trainer;
import io.pricecast.trainer.fit.TrainingConfig;
import io.pricecast.trainer.fit.TrainingRun;
import io.pricecast.trainer.registry.ModelRegistry;
import io.pricecast.trainer.registry.RegistryState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One retraining, as run by {@code ./pricecast train} and by the weekly schedule: train on the given data, write
 * the bundle, publish it, and promote it only when the policy allows — by default only when its held-out MAD
 * is not worse than the active model's on the symbols both score ({@link Promotion#IF_NOT_WORSE}); a failed
 * training never publishes anything.
 */
public final class TrainingJob {

    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** When a freshly trained version becomes active. */
    public enum Promotion {
        /** never: a person promotes it */
        NEVER,
        /** when its held-out MAD is not worse than the active model's */
        IF_NOT_WORSE,
        /** always (even when worse) */
        ALWAYS;

        /** Whether a version with these held-out figures is promoted under this policy. */
        public boolean allows(io.pricecast.trainer.evaluate.HeldOutMad.Summary heldOut) {
            return switch (this) {
                case NEVER -> false;
                case IF_NOT_WORSE -> heldOut.candidateNotWorse();
                case ALWAYS -> true;
            };
        }

        /** {@code never}, {@code if-not-worse} or {@code always}; {@code setting} names the option in errors. */
        public static Promotion parse(String value, String setting) {
            return switch (value) {
                case "never" -> NEVER;
                case "if-not-worse" -> IF_NOT_WORSE;
                case "always" -> ALWAYS;
                default ->
                    throw new IllegalArgumentException(
                            setting + " " + value + ": expected never, if-not-worse or always");
            };
        }
    }

    /** What a job did. */
    public record Report(
            TrainingRun.Outcome outcome,
            Optional<Path> file,
            boolean published,
            Optional<ModelEvent> promotion,
            String decision) {}

    private TrainingJob() {}

    /** A version id for a bundle trained now: {@code trained-<yyyyMMdd-HHmmss>} (UTC). */
    public static String newVersionId(Instant now) {
        return "trained-" + VERSION_TIME.format(now);
    }

    /**
     * @param registry where to publish (and read the active model from), or {@code null} to only write the file
     * @param outDir   directory the bundle file is written to, or {@code null}
     */
    public static Report run(
            TrainingData data,
            TrainingConfig config,
            String versionId,
            ModelRegistry registry,
            Path outDir,
            Promotion promotion,
            String actor,
            String codeVersion,
            Trainer.Progress progress)
            throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ModelBundle active = null;
        RegistryState state = null;
        if (registry != null) {
            state = registry.read();
            active = registry.bundle(state, state.activeVersion());
            if (state.sha256Of(versionId).isPresent()) {
                throw new IllegalArgumentException(
                        "model version " + versionId + " already exists; choose another --version-id");
            }
            progress.report(
                    "active model: " + active.metadata().versionId() + " (sha256 " + active.contentSha256() + ")");
        }
        TrainingRun.Outcome outcome = TrainingRun.run(data, config, versionId, now, active, codeVersion, progress);
        ModelBundle bundle = outcome.bundle();
        Optional<Path> file = Optional.empty();
        if (outDir != null) {
            Files.createDirectories(outDir);
            Path target = outDir.resolve(versionId + ModelBundle.FILE_SUFFIX);
            bundle.write(target);
            file = Optional.of(target);
            progress.report("wrote " + target + " (content sha256 " + bundle.contentSha256() + ")");
        }
        if (registry == null) {
            return new Report(outcome, file, false, Optional.empty(), "not published (no registry)");
        }
        registry.publish(bundle, actor, "trained on " + data.source());
        progress.report("published " + versionId + " on the models topic");
        boolean notWorse = outcome.heldOut().candidateNotWorse();
        String comparison = String.format(
                "held-out MAD %s vs active %s %s",
                fmt(outcome.heldOut().candidate()),
                state.activeVersion(),
                fmt(outcome.heldOut().active()));
        boolean promote = promotion.allows(outcome.heldOut());
        String decision;
        Optional<ModelEvent> event = Optional.empty();
        if (promote) {
            event = Optional.of(registry.promote(versionId, actor, "automatic after training: " + comparison));
            decision = "promoted (" + comparison + ")";
        } else {
            decision = "not promoted (" + comparison
                    + (promotion == Promotion.NEVER
                            ? "; policy never"
                            : notWorse ? "" : "; worse than the active model")
                    + ")";
        }
        progress.report(versionId + " " + decision);
        return new Report(outcome, file, true, event, decision);
    }

    static String fmt(java.util.OptionalDouble value) {
        return value.isPresent() ? String.format("%.6g", value.getAsDouble()) : "n/a";
    }
}

package io.pricecast.scoring.topology;

import io.pricecast.avro.Prediction;
import io.pricecast.model.features.Features;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.scoring.state.PendingScore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores drafted windows with the model that drafted them, in batches: windows are buffered in arrival order,
 * each flush hands every run of at most {@code maxBatch} windows of the same model to one forward pass, and the
 * passes run on another thread while the caller goes on with the next records. Outputs come back to the caller,
 * oldest batch first, through {@link Outcomes}, on the caller's thread. No Kafka here: the caller keeps the
 * windows parked in its store under their sequence numbers and is told when each one is done.
 */
final class BatchScorer {

    /** Full batches in the forward pass while the caller goes on with the next records. */
    static final int MAX_IN_FLIGHT = 2;
    /** A punctuation that finds fewer than this fraction of a batch buffered sees a slow input. */
    static final int SLOW_INPUT_FRACTION = 8;

    private static final Logger LOG = LoggerFactory.getLogger(BatchScorer.class);

    /** Finds a model by its identity (version and content sha256). */
    @FunctionalInterface
    interface Models {
        Optional<LoadedModel> byIdentity(String version, String sha256);
    }

    /** What becomes of the windows; called on the caller's thread. */
    interface Outcomes {

        /** A run of windows was scored by {@code model}: {@code outputs[i]} is the output of {@code run.get(i)}. */
        void scored(List<PendingScore> run, LoadedModel model, float[] outputs);

        /** A window cannot be scored: the model that drafted it is gone (or it was restored without its window). */
        void unscorable(PendingScore score);

        /** The window parked under {@code sequence} is done with (after its {@link #scored} or {@link #unscorable}). */
        void released(long sequence);
    }

    /** A batch in the forward pass: its windows, their sequence numbers, the model, the outputs to come. */
    private record InFlight(
            List<Long> sequences, List<PendingScore> scores, LoadedModel model, CompletableFuture<float[]> outputs) {}

    private final int maxBatch;
    private final Models models;
    private final Executor forwardPasses;
    private final Outcomes outcomes;
    /** The parked windows in arrival order, and their sequence numbers. */
    private final List<Long> bufferedSequences = new ArrayList<>();

    private final List<PendingScore> buffered = new ArrayList<>();
    /** Batches handed to the forward pass and not yet given back, oldest first. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    /**
     * @param maxBatch      most windows in one forward pass
     * @param models        the models windows were drafted with
     * @param forwardPasses runs the batched forward passes; null runs them on the caller's thread
     * @param outcomes      told what became of each window
     */
    BatchScorer(int maxBatch, Models models, Executor forwardPasses, Outcomes outcomes) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.models = models;
        this.forwardPasses = forwardPasses;
        this.outcomes = outcomes;
    }

    /** @return windows buffered and not yet handed to a forward pass */
    int buffered() {
        return buffered.size();
    }

    /** @return batches in the forward pass and not yet given back */
    int inFlight() {
        return inFlight.size();
    }

    /** Buffers a window restored from the caller's store; nothing is scored before the next park or flush. */
    void restored(long sequence, PendingScore score) {
        bufferedSequences.add(sequence);
        buffered.add(score);
    }

    /** Buffers a window; a full batch goes to the forward pass at once. */
    void park(long sequence, PendingScore score) {
        restored(sequence, score);
        if (buffered.size() >= maxBatch) {
            flush(MAX_IN_FLIGHT);
        }
    }

    /**
     * Scores one window at once on the caller's thread, without buffering (no batching, hence nothing parked and
     * nothing {@linkplain Outcomes#released released}).
     */
    void scoreAlone(PendingScore score) {
        Prediction draft = score.draft();
        Optional<LoadedModel> model = models.byIdentity(draft.getModelVersion(), draft.getModelSha256());
        if (model.isEmpty()) {
            outcomes.unscorable(score);
            return;
        }
        float[] outputs = model.get().network().predict(score.window(), 1);
        outcomes.scored(List.of(score), model.get(), outputs);
    }

    /**
     * The flush punctuator: a partly filled batch is scored anyway. When the input is slow (a small batch) the
     * forward pass is awaited, so that a lone record's prediction does not wait for the next punctuation.
     */
    void punctuate() {
        flush(buffered.size() < Math.max(1, maxBatch / SLOW_INPUT_FRACTION) ? 0 : MAX_IN_FLIGHT);
    }

    /**
     * Hands every buffered window to the forward pass, in arrival order, one call per run of at most
     * {@code maxBatch} windows drafted with the same model; windows whose model is gone are unscorable at once.
     * Then gives back the batches whose outputs are in, waiting for the oldest while more than
     * {@code keepAtMost} are in flight.
     */
    void flush(int keepAtMost) {
        int start = 0;
        while (start < buffered.size()) {
            Prediction first = buffered.get(start).draft();
            int end = start + 1;
            while (end < buffered.size()
                    && end - start < maxBatch
                    && sameModel(first, buffered.get(end).draft())) {
                end++;
            }
            submit(
                    List.copyOf(bufferedSequences.subList(start, end)),
                    List.copyOf(buffered.subList(start, end)),
                    first.getModelVersion(),
                    first.getModelSha256());
            start = end;
        }
        bufferedSequences.clear();
        buffered.clear();
        forwardCompleted(keepAtMost);
    }

    private static boolean sameModel(Prediction a, Prediction b) {
        return a.getModelVersion().equals(b.getModelVersion())
                && a.getModelSha256().equals(b.getModelSha256());
    }

    private void submit(List<Long> sequences, List<PendingScore> run, String version, String sha256) {
        Optional<LoadedModel> found = models.byIdentity(version, sha256);
        List<Long> scorableSequences = new ArrayList<>(run.size());
        List<PendingScore> scorable = new ArrayList<>(run.size());
        for (int i = 0; i < run.size(); i++) {
            if (found.isPresent() && run.get(i).window() != null) {
                scorableSequences.add(sequences.get(i));
                scorable.add(run.get(i));
            } else {
                outcomes.unscorable(run.get(i));
                outcomes.released(sequences.get(i));
            }
        }
        if (scorable.isEmpty()) {
            return;
        }
        LoadedModel model = found.get();
        float[] flat = new float[scorable.size() * Features.WINDOW_SIZE];
        for (int i = 0; i < scorable.size(); i++) {
            System.arraycopy(scorable.get(i).window(), 0, flat, i * Features.WINDOW_SIZE, Features.WINDOW_SIZE);
        }
        int size = scorable.size();
        CompletableFuture<float[]> outputs = forwardPasses == null
                ? CompletableFuture.completedFuture(model.network().predict(flat, size))
                : CompletableFuture.supplyAsync(() -> model.network().predict(flat, size), forwardPasses);
        inFlight.add(new InFlight(scorableSequences, scorable, model, outputs));
    }

    /**
     * Gives back, oldest first, the batches whose forward pass is done, and waits for the oldest ones while more
     * than {@code keepAtMost} are in flight. Each batch's windows are {@linkplain Outcomes#released released}
     * after the batch is {@linkplain Outcomes#scored scored}. A failed forward pass throws its cause.
     */
    void forwardCompleted(int keepAtMost) {
        while (!inFlight.isEmpty()
                && (inFlight.size() > keepAtMost || inFlight.peek().outputs().isDone())) {
            InFlight batch = inFlight.poll();
            float[] outputs;
            try {
                outputs = batch.outputs().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            outcomes.scored(batch.scores(), batch.model(), outputs);
            for (Long sequence : batch.sequences()) {
                outcomes.released(sequence);
            }
        }
    }

    /**
     * Waits for the forward passes still running and forgets them and the buffered windows without giving
     * anything back (the caller's store still has them parked), so that no pass outlives the caller and its model.
     */
    void close() {
        for (InFlight batch : inFlight) {
            try {
                batch.outputs().join();
            } catch (CompletionException | CancellationException e) {
                LOG.debug("a forward pass of a closing task failed", e);
            }
        }
        inFlight.clear();
        bufferedSequences.clear();
        buffered.clear();
    }
}

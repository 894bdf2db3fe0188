package io.pricecast.scoring.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.serving.LoadedModel;
import io.pricecast.scoring.TestData;
import io.pricecast.scoring.TestModels;
import io.pricecast.scoring.lineage.OutputRecords;
import io.pricecast.scoring.state.PendingScore;
import io.pricecast.scoring.state.SeriesWindow;
import io.pricecast.scoring.state.WindowEntry;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The batch scorer alone: no Kafka, a fake forward pass whose output for a window is the window's first value. */
class BatchScorerTest {

    private static final String SHA = "ab".repeat(32);
    private static final LoadedModel BASE = new LoadedModel("base", TestModels.first(), BatchScorerTest::firstValues);

    /** What the outcomes were told, in order: {@code scored <model> <outputs>}, {@code unscorable <id>}, {@code released <n>}. */
    private final List<String> told = new ArrayList<>();
    /** Batch sizes of the forward passes, in call order. */
    private final List<Integer> passes = new ArrayList<>();

    private final BatchScorer.Outcomes outcomes = new BatchScorer.Outcomes() {
        @Override
        public void scored(List<PendingScore> run, LoadedModel model, float[] outputs) {
            assertThat(outputs).hasSize(run.size());
            for (int i = 0; i < run.size(); i++) {
                assertThat(outputs[i]).isEqualTo(run.get(i).window()[0]);
            }
            told.add("scored " + model.version() + " " + Arrays.toString(outputs));
        }

        @Override
        public void unscorable(PendingScore score) {
            told.add("unscorable " + score.draft().getPredictionId());
        }

        @Override
        public void released(long sequence) {
            told.add("released " + sequence);
        }
    };

    private static float[] firstValues(float[] windows, int batchSize) {
        float[] outputs = new float[batchSize];
        for (int i = 0; i < batchSize; i++) {
            outputs[i] = windows[i * Features.WINDOW_SIZE];
        }
        return outputs;
    }

    /** Models "a" and "b" (both counting their forward passes); any other version is gone. */
    private BatchScorer.Models models() {
        ForwardPass counted = (windows, batchSize) -> {
            synchronized (passes) {
                passes.add(batchSize);
            }
            return firstValues(windows, batchSize);
        };
        Map<String, LoadedModel> known = Map.of(
                "a", new LoadedModel("a", BASE.bundle(), counted),
                "b", new LoadedModel("b", BASE.bundle(), counted));
        return (version, sha256) -> SHA.equals(sha256) ? Optional.ofNullable(known.get(version)) : Optional.empty();
    }

    private BatchScorer scorer(int maxBatch, Executor forwardPasses) {
        return new BatchScorer(maxBatch, models(), forwardPasses, outcomes);
    }

    /** A window of model {@code version} whose scaled values are all {@code marker}, for day {@code day}. */
    private static PendingScore window(String version, int day, float marker) {
        LocalDate date = LocalDate.of(2018, 1, 1).plusDays(day);
        SeriesWindow series = SeriesWindow.EMPTY.append(
                new WindowEntry(new DailyPrice(date, 1, 2, 0.5, 1.5, 10, 0), "prices.clean", 0, day));
        OutputRecords records = new OutputRecords("code-test");
        float[] scaled = new float[Features.WINDOW_SIZE];
        Arrays.fill(scaled, marker);
        return new PendingScore(
                "d|BTC",
                day,
                records.draft(
                        TestData.price("d", "BTC", date, 1, 2, 0.5, 1.5, 10, 0, "u", (long) day),
                        series,
                        version,
                        SHA,
                        "",
                        ""),
                scaled);
    }

    private static String id(PendingScore score) {
        return score.draft().getPredictionId();
    }

    @Test
    void aFlushScoresRunsOfOneModelOfAtMostMaxBatchInArrivalOrder() {
        BatchScorer scorer = scorer(3, null);
        scorer.restored(10, window("a", 0, 1));
        scorer.restored(11, window("a", 1, 2));
        scorer.restored(12, window("b", 2, 3));
        scorer.restored(13, window("a", 3, 4));
        scorer.restored(14, window("a", 4, 5));
        scorer.restored(15, window("a", 5, 6));
        scorer.restored(16, window("a", 6, 7));
        assertThat(told).isEmpty();

        scorer.flush(0);

        assertThat(passes).containsExactly(2, 1, 3, 1);
        assertThat(told)
                .containsExactly(
                        "scored a [1.0, 2.0]",
                        "released 10",
                        "released 11",
                        "scored b [3.0]",
                        "released 12",
                        "scored a [4.0, 5.0, 6.0]",
                        "released 13",
                        "released 14",
                        "released 15",
                        "scored a [7.0]",
                        "released 16");
        assertThat(scorer.buffered()).isZero();
        assertThat(scorer.inFlight()).isZero();
    }

    @Test
    void parkingScoresAFullBatchAtOnce() {
        BatchScorer scorer = scorer(2, null);

        scorer.park(0, window("a", 0, 1));
        assertThat(told).isEmpty();
        assertThat(scorer.buffered()).isEqualTo(1);

        scorer.park(1, window("a", 1, 2));
        assertThat(told).containsExactly("scored a [1.0, 2.0]", "released 0", "released 1");
        assertThat(scorer.buffered()).isZero();
    }

    @Test
    void windowsOfAModelThatIsGoneOrWithoutTheirWindowAreUnscorableAtTheFlush() {
        BatchScorer scorer = scorer(4, null);
        PendingScore gone = window("gone", 0, 1);
        PendingScore kept = window("a", 1, 2);
        PendingScore restoredWithoutWindow =
                new PendingScore("d|BTC", 2, window("a", 2, 3).draft(), null);
        scorer.restored(0, gone);
        scorer.restored(1, kept);
        scorer.restored(2, restoredWithoutWindow);

        scorer.flush(0);

        assertThat(passes).containsExactly(1);
        assertThat(told)
                .containsExactly(
                        "unscorable " + id(gone),
                        "released 0",
                        "unscorable " + id(restoredWithoutWindow),
                        "released 2",
                        "scored a [2.0]",
                        "released 1");
    }

    @Test
    void upToTwoBatchesStayInTheForwardPassWhileTheCallerGoesOn() {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        BatchScorer scorer = scorer(1, queued::add);

        scorer.park(0, window("a", 0, 1));
        scorer.park(1, window("a", 1, 2));
        assertThat(scorer.inFlight()).isEqualTo(BatchScorer.MAX_IN_FLIGHT);
        assertThat(told).isEmpty();

        queued.poll().run();
        scorer.forwardCompleted(BatchScorer.MAX_IN_FLIGHT);
        assertThat(told).containsExactly("scored a [1.0]", "released 0");
        assertThat(scorer.inFlight()).isEqualTo(1);

        queued.poll().run();
        scorer.forwardCompleted(BatchScorer.MAX_IN_FLIGHT);
        assertThat(told).containsExactly("scored a [1.0]", "released 0", "scored a [2.0]", "released 1");
        assertThat(scorer.inFlight()).isZero();
    }

    @Test
    void batchesComeBackOldestFirstEvenWhenANewerOneIsDoneFirst() {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        BatchScorer scorer = scorer(1, queued::add);
        scorer.park(0, window("a", 0, 1));
        scorer.park(1, window("a", 1, 2));

        queued.pollLast().run();
        scorer.forwardCompleted(BatchScorer.MAX_IN_FLIGHT);
        assertThat(told).isEmpty();

        queued.poll().run();
        scorer.forwardCompleted(BatchScorer.MAX_IN_FLIGHT);
        assertThat(told).containsExactly("scored a [1.0]", "released 0", "scored a [2.0]", "released 1");
    }

    @Test
    void flushingWithNothingToKeepWaitsForEveryForwardPass() {
        BatchScorer scorer = scorer(2, r -> new Thread(r).start());
        scorer.restored(0, window("a", 0, 1));
        scorer.restored(1, window("a", 1, 2));
        scorer.restored(2, window("b", 2, 3));

        scorer.flush(0);

        assertThat(told)
                .containsExactly("scored a [1.0, 2.0]", "released 0", "released 1", "scored b [3.0]", "released 2");
        assertThat(scorer.inFlight()).isZero();
    }

    @Test
    void aPunctuationWaitsForTheForwardPassOnlyWhenTheInputIsSlow() {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        BatchScorer busy = scorer(16, queued::add);
        for (int i = 0; i < 16 / BatchScorer.SLOW_INPUT_FRACTION; i++) {
            busy.restored(i, window("a", i, i));
        }
        busy.punctuate();
        assertThat(busy.inFlight()).isEqualTo(1);
        assertThat(told).isEmpty();
        queued.poll().run();
        busy.close();

        BatchScorer slow = scorer(16, r -> new Thread(r).start());
        slow.restored(0, window("a", 0, 5));
        slow.punctuate();
        assertThat(slow.inFlight()).isZero();
        assertThat(told).containsExactly("scored a [5.0]", "released 0");
    }

    @Test
    void aFailedForwardPassThrowsItsCauseToTheCaller() {
        LoadedModel failing = new LoadedModel("a", BASE.bundle(), (windows, batchSize) -> {
            throw new IllegalStateException("native engine failed");
        });
        BatchScorer scorer = new BatchScorer(1, (v, s) -> Optional.of(failing), r -> new Thread(r).start(), outcomes);

        assertThatThrownBy(() -> {
                    scorer.park(0, window("a", 0, 1));
                    scorer.flush(0);
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("native engine failed");
        assertThat(told).isEmpty();
    }

    @Test
    void aWindowScoredAloneIsScoredAtOnceAndNeverReleased() {
        BatchScorer scorer = scorer(1, queuedNever());
        PendingScore gone = window("gone", 1, 2);

        scorer.scoreAlone(window("b", 0, 1));
        scorer.scoreAlone(gone);

        assertThat(told).containsExactly("scored b [1.0]", "unscorable " + id(gone));
        assertThat(scorer.inFlight()).isZero();
    }

    @Test
    void closingWaitsForTheForwardPassesAndGivesNothingBack() {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        BatchScorer scorer = scorer(1, queued::add);
        scorer.park(0, window("a", 0, 1));
        scorer.restored(1, window("a", 1, 2));
        queued.poll().run();

        scorer.close();

        assertThat(passes).containsExactly(1);
        assertThat(told).isEmpty();
        assertThat(scorer.inFlight()).isZero();
        assertThat(scorer.buffered()).isZero();
    }

    @Test
    void aBatchHoldsAtLeastOneWindow() {
        assertThatThrownBy(() -> scorer(0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatch must be positive: 0");
    }

    /** An executor that must not be used. */
    private static Executor queuedNever() {
        return r -> {
            throw new AssertionError("a window scored alone never goes to the forward-pass threads");
        };
    }
}

package io.pricecast.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.trainer.evaluate.HeldOutMad;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {

    private static HeldOutMad.Summary summary(double candidate, double active) {
        return new HeldOutMad.Summary(List.of(), 10, OptionalDouble.of(candidate), OptionalDouble.of(active), 5.0, 1);
    }

    @Test
    void aWorseTrainingNeverPromotesItselfUnlessConfiguredTo() {
        HeldOutMad.Summary worse = summary(2.0, 1.0);
        HeldOutMad.Summary better = summary(1.0, 2.0);
        assertThat(TrainingJob.Promotion.IF_NOT_WORSE.allows(worse)).isFalse();
        assertThat(TrainingJob.Promotion.IF_NOT_WORSE.allows(better)).isTrue();
        assertThat(TrainingJob.Promotion.IF_NOT_WORSE.allows(summary(1.0, 1.0)))
                .as("equal is not worse")
                .isTrue();
        assertThat(TrainingJob.Promotion.NEVER.allows(better)).isFalse();
        assertThat(TrainingJob.Promotion.ALWAYS.allows(worse)).isTrue();
    }

    @Test
    void parsesThePolicyOrNamesTheSetting() {
        assertThat(TrainingJob.Promotion.parse("if-not-worse", "--promote"))
                .isEqualTo(TrainingJob.Promotion.IF_NOT_WORSE);
        assertThatThrownBy(() -> TrainingJob.Promotion.parse("sometimes", "PRICECAST_TRAIN_PROMOTE"))
                .hasMessageContaining("PRICECAST_TRAIN_PROMOTE sometimes");
    }
}

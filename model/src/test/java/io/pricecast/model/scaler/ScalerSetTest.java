package io.pricecast.model.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalerSetTest {

    @Test
    void unknownSymbolHasNoScaler() {
        ScalerSet set = ScalerSet.builder(List.of("a"))
                .put("BTC", new double[] {1}, new double[] {2})
                .build();

        assertThat(set.forSymbol("DOGE")).isEmpty();
        assertThat(set.forSymbol("BTC")).isPresent();
    }

    @Test
    void nonFiniteScaledValueBecomesZero() {
        ScalerSet set = ScalerSet.builder(List.of("a"))
                .put("X", new double[] {1}, new double[] {0})
                .build();

        assertThat(set.forSymbol("X").orElseThrow().transform(0, 5.0)).isZero();
    }

    @Test
    void symbolsAreSortedWhateverTheInsertionOrder() {
        ScalerSet one = ScalerSet.builder(List.of("a"))
                .put("B", new double[] {1}, new double[] {1})
                .put("A", new double[] {2}, new double[] {2})
                .build();
        ScalerSet two = ScalerSet.builder(List.of("a"))
                .put("A", new double[] {2}, new double[] {2})
                .put("B", new double[] {1}, new double[] {1})
                .build();

        assertThat(one).isEqualTo(two);
        assertThat(one.symbols()).containsExactly("A", "B");
    }
}

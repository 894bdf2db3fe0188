package io.pricecast.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactTanhTest {

    private static final int SAMPLES = 2_000_000;

    @Test
    void equalsStrictMathOnRandomFloatsBitForBit() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int i = 0; i < SAMPLES; i++) {
            assertSameBits(Float.intBitsToFloat(random.nextInt()));
        }
    }

    @Test
    void equalsStrictMathOnRandomDoublesBitForBit() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < SAMPLES; i++) {
            assertSameBits(i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble(-30, 30));
        }
    }

    /** Each branch of tanh and expm1 is chosen on the high word of |x|: both sides of every threshold. */
    @Test
    void equalsStrictMathAroundEveryBranchBoundary() {
        int[] highWords = {
            0x3c800000, 0x3c900000, 0x3fd62e42, 0x3ff00000, 0x3FF0A2B2, 0x40360000, 0x4043687A, 0x40862E42, 0x7ff00000
        };
        for (int high : highWords) {
            for (long delta = -3; delta <= 3; delta++) {
                for (long low : new long[] {0L, 1L, 0x7fffffffL, 0xffffffffL}) {
                    double x = Double.longBitsToDouble(((high + delta) << 32) | low);
                    assertSameBits(x);
                    assertSameBits(-x);
                    assertSameBits(x / 2);
                    assertThat(Double.doubleToRawLongBits(ExactTanh.expm1(x)))
                            .as("expm1(%s)", x)
                            .isEqualTo(Double.doubleToRawLongBits(StrictMath.expm1(x)));
                }
            }
        }
        for (double x : new double[] {
            0.0,
            -0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            22.0,
            1.0,
            0.5
        }) {
            assertSameBits(x);
            assertSameBits(-x);
        }
    }

    @Test
    void expm1EqualsStrictMathOnItsWholeRange() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < SAMPLES; i++) {
            double x = random.nextDouble(-750, 750) / (1 << random.nextInt(40));
            assertThat(Double.doubleToRawLongBits(ExactTanh.expm1(x)))
                    .as("expm1(%s)", x)
                    .isEqualTo(Double.doubleToRawLongBits(StrictMath.expm1(x)));
        }
    }

    private static void assertSameBits(double x) {
        long expected = Double.doubleToRawLongBits(StrictMath.tanh(x));
        long actual = Double.doubleToRawLongBits(ExactTanh.tanh(x));
        if (actual != expected) {
            assertThat(ExactTanh.tanh(x)).as("tanh(%s)", x).isEqualTo(StrictMath.tanh(x));
            assertThat(actual).as("tanh(%s) bits", x).isEqualTo(expected);
        }
    }
}

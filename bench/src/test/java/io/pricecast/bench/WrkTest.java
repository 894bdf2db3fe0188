package io.pricecast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The parser of {@code wrk --latency} output, on outputs wrk 4.1.0 printed. */
class WrkTest {

    /** {@code wrk -t1 -c1 -d2s --latency -s predict.lua http://127.0.0.1:38119/predict}, captured from a bench run. */
    private static final String SINGLE = """
            Running 2s test @ http://127.0.0.1:38119/predict
              1 threads and 1 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   845.61us    1.72ms  17.93ms   92.32%
                Req/Sec     2.73k     1.31k    5.68k    60.00%
              Latency Distribution
                 50%  242.00us
                 75%  631.00us
                 90%    1.95ms
                 99%    9.29ms
              5455 requests in 2.01s, 2.71MB read
            Requests/sec:   2720.59
            Transfer/sec:      1.35MB
            """;

    /** A run with refused answers and socket errors (the lines wrk adds only when there are some). */
    private static final String WITH_ERRORS = """
            Running 10s test @ http://127.0.0.1:8086/predict
              2 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.02s   310.20ms   1.99s    70.00%
                Req/Sec     7.10      3.20    20.00     80.00%
              Latency Distribution
                 50%     1.01s
                 75%     1.20s
                 90%     1.50s
                 99%     1.90s
              140 requests in 1.00m, 70.00KB read
              Socket errors: connect 0, read 2, write 0, timeout 3
              Non-2xx or 3xx responses: 12
            Requests/sec:      2.33
            Transfer/sec:      1.17KB
            """;

    @Test
    void parsesTheNinetyNinthPercentileAndRequestsPerSecond() {
        Wrk.Result r = Wrk.parse(SINGLE);

        assertThat(r.requestsPerSecond()).isEqualTo(2720.59);
        assertThat(r.p99Ms()).isCloseTo(9.29, within(1e-9));
        assertThat(r.p50Ms()).isCloseTo(0.242, within(1e-9));
        assertThat(r.latencyMs()).containsOnlyKeys(50.0, 75.0, 90.0, 99.0);
        assertThat(r.latencyMs().get(90.0)).isCloseTo(1.95, within(1e-9));
        assertThat(r.requests()).isEqualTo(5455);
        assertThat(r.seconds()).isCloseTo(2.01, within(1e-9));
        assertThat(r.non2xx()).isZero();
        assertThat(r.socketErrors()).isZero();
        assertThat(r.json()).containsEntry("requests_per_second", 2720.59);
    }

    @Test
    void readsSecondsAndMinutesAndCountsRefusedAnswersAndSocketErrors() {
        Wrk.Result r = Wrk.parse(WITH_ERRORS);

        assertThat(r.p99Ms()).isCloseTo(1_900, within(1e-9));
        assertThat(r.p50Ms()).isCloseTo(1_010, within(1e-9));
        assertThat(r.seconds()).isCloseTo(60, within(1e-9));
        assertThat(r.requests()).isEqualTo(140);
        assertThat(r.requestsPerSecond()).isEqualTo(2.33);
        assertThat(r.non2xx()).isEqualTo(12);
        assertThat(r.socketErrors()).isEqualTo(5);
    }

    @Test
    void withoutLatencyFlagThereIsNoPercentileAndWithoutRequestsPerSecondItIsRefused() {
        String noDistribution = SINGLE.replaceAll("(?s)  Latency Distribution.*?99%\\s+9\\.29ms\\n", "");
        assertThat(Wrk.parse(noDistribution).p99Ms()).isNaN();
        assertThat(Wrk.parse(noDistribution).requestsPerSecond()).isEqualTo(2720.59);

        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:8086 Connection refused\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Requests/sec");
    }
}

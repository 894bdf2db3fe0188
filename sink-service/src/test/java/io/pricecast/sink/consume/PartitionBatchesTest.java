package io.pricecast.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionBatchesTest {

    /** A row write of partition {@code p}, told apart by {@code n}. */
    private record Row(String p, int n) {
    }

    private static List<List<Row>> grouped(List<Row> rows, int maxRows) {
        return PartitionBatches.group(rows, r -> r.p(), maxRows, g -> g);
    }

    @Test
    void groupsTheRowsOfOnePartitionInPolledOrder() {
        List<Row> rows = List.of(new Row("a", 1), new Row("b", 2), new Row("a", 3), new Row("a", 4), new Row("b", 5));

        assertThat(grouped(rows, 16)).containsExactly(
                List.of(new Row("a", 1), new Row("a", 3), new Row("a", 4)),
                List.of(new Row("b", 2), new Row("b", 5)));
    }

    @Test
    void startsANewGroupWhenOneIsFull() {
        List<Row> rows = List.of(new Row("a", 1), new Row("a", 2), new Row("a", 3), new Row("a", 4), new Row("a", 5));

        assertThat(grouped(rows, 2)).containsExactly(
                List.of(new Row("a", 1), new Row("a", 2)),
                List.of(new Row("a", 3), new Row("a", 4)),
                List.of(new Row("a", 5)));
    }

    @Test
    void keepsEveryRowAloneWhenBatchingIsOffOrThePartitionIsUnknown() {
        List<Row> rows = List.of(new Row("a", 1), new Row("a", 2), new Row(null, 3), new Row(null, 4));

        assertThat(grouped(rows, 1)).hasSize(4).allSatisfy(g -> assertThat(g).hasSize(1));
        assertThat(grouped(rows, 16)).containsExactly(
                List.of(new Row("a", 1), new Row("a", 2)), List.of(new Row(null, 3)), List.of(new Row(null, 4)));
    }

    @Test
    void accountsForEveryRowExactlyOnce() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new Row("p" + (i * 7919 % 13), i));
        }

        List<Row> flattened = grouped(rows, 16).stream().flatMap(List::stream).toList();

        assertThat(flattened).hasSize(1000).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(grouped(rows, 16)).allSatisfy(g -> assertThat(g).hasSizeLessThanOrEqualTo(16)
                .extracting(Row::p).containsOnly(g.get(0).p()));
    }

    @Test
    void keepsOnlyTheLastWriteOfARowWhoseNewestValueIsAllThatMatters() {
        List<Row> rows = List.of(new Row("a", 1), new Row("x", 2), new Row("a", 3), new Row("y", 4), new Row("x", 5));

        List<Row> kept = PartitionBatches.latestOnly(rows, r -> r.p().equals("y") ? null : r.p());

        assertThat(kept).containsExactly(new Row("a", 3), new Row("y", 4), new Row("x", 5));
        assertThat(PartitionBatches.latestOnly(rows, r -> null)).isSameAs(rows);
    }
}

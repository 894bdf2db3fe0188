package io.pricecast.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionBatchesTest {

    /** A row write of partition {@code p}, told apart by {@code n}. */
    private record Row(String p, int n) {}

    private static List<List<Row>> grouped(List<Row> rows, int maxRows) {
        return PartitionBatches.group(rows, r -> r.p(), maxRows);
    }

    @Test
    void groupsTheRowsOfOnePartitionInPolledOrder() {
        List<Row> rows = List.of(new Row("a", 1), new Row("b", 2), new Row("a", 3), new Row("a", 4), new Row("b", 5));

        assertThat(grouped(rows, 16))
                .containsExactly(
                        List.of(new Row("a", 1), new Row("a", 3), new Row("a", 4)),
                        List.of(new Row("b", 2), new Row("b", 5)));
    }

    @Test
    void startsANewGroupWhenOneIsFull() {
        List<Row> rows = List.of(new Row("a", 1), new Row("a", 2), new Row("a", 3), new Row("a", 4), new Row("a", 5));

        assertThat(grouped(rows, 2))
                .containsExactly(
                        List.of(new Row("a", 1), new Row("a", 2)),
                        List.of(new Row("a", 3), new Row("a", 4)),
                        List.of(new Row("a", 5)));
    }

    @Test
    void keepsEveryRowAloneWhenBatchingIsOffOrThePartitionIsUnknown() {
        List<Row> rows = List.of(new Row("a", 1), new Row("a", 2), new Row(null, 3), new Row(null, 4));

        assertThat(grouped(rows, 1)).hasSize(4).allSatisfy(g -> assertThat(g).hasSize(1));
        assertThat(grouped(rows, 16))
                .containsExactly(
                        List.of(new Row("a", 1), new Row("a", 2)),
                        List.of(new Row(null, 3)),
                        List.of(new Row(null, 4)));
    }

    @Test
    void accountsForEveryRowExactlyOnce() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new Row("p" + (i * 7919 % 13), i));
        }

        List<Row> flattened = grouped(rows, 16).stream().flatMap(List::stream).toList();

        assertThat(flattened).hasSize(1000).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(grouped(rows, 16))
                .allSatisfy(g -> assertThat(g)
                        .hasSizeLessThanOrEqualTo(16)
                        .extracting(Row::p)
                        .containsOnly(g.get(0).p()));
    }

    @Test
    void keepsOnlyTheLastWriteOfARowWhoseNewestValueIsAllThatMatters() {
        List<Row> rows = List.of(new Row("a", 1), new Row("x", 2), new Row("a", 3), new Row("y", 4), new Row("x", 5));

        List<Row> kept = PartitionBatches.latestOnly(rows, r -> r.p().equals("y") ? null : r.p());

        assertThat(kept).containsExactly(new Row("a", 3), new Row("y", 4), new Row("x", 5));
        assertThat(PartitionBatches.latestOnly(rows, r -> null)).isSameAs(rows);
    }

    /** Partitions "a".."z" live on replica "r1", "z*" on "r2"; every row counts 10 bytes. */
    private static List<List<List<Row>>> packed(List<List<Row>> groups, int maxBytes) {
        return PartitionBatches.pack(
                groups,
                g -> g.get(0).p() == null ? null : g.get(0).p().startsWith("z") ? "r2" : "r1",
                g -> 10 * g.size(),
                maxBytes);
    }

    @Test
    void packsSmallGroupsOfTheSameReplicasInOrderWithinTheByteBound() {
        List<Row> a = List.of(new Row("a", 1), new Row("a", 2));
        List<Row> b = List.of(new Row("b", 3));
        List<Row> z = List.of(new Row("z1", 4));
        List<Row> c = List.of(new Row("c", 5), new Row("c", 6));
        List<Row> d = List.of(new Row("d", 7));

        assertThat(packed(List.of(a, b, z, c, d), 50)).containsExactly(List.of(a, b, c), List.of(z), List.of(d));
        assertThat(packed(List.of(a, b, z, c, d), 0))
                .containsExactly(List.of(a), List.of(b), List.of(z), List.of(c), List.of(d));
    }

    @Test
    void keepsLargeGroupsAndGroupsOfUnknownReplicasAlone() {
        List<Row> big = List.of(new Row("a", 1), new Row("a", 2), new Row("a", 3));
        List<Row> small = List.of(new Row("b", 4));
        List<Row> unknown = List.of(new Row(null, 5));
        List<Row> other = List.of(new Row("c", 6));

        assertThat(packed(List.of(big, small, unknown, other), 50))
                .containsExactly(List.of(big), List.of(small, other), List.of(unknown));
    }

    @Test
    void packsAtMostTheMaximumOfPartitionsAndAccountsForEveryGroup() {
        List<List<Row>> groups = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            groups.add(List.of(new Row("p" + i, i)));
        }

        List<List<List<Row>>> packs = packed(groups, 1_000_000);

        assertThat(packs)
                .hasSize(4)
                .allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(PartitionBatches.MAX_PARTITIONS_PER_REQUEST));
        assertThat(packs.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(groups);
    }
}

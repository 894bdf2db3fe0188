package io.pricecast.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema stays backward and forward compatible with each of its earlier versions, kept in
 * {@code src/test/resources/schema-history/<Record>/v<N>.avsc} (self-contained: named types inlined).
 * Changing a contract means adding the new version there too.
 */
class SchemaEvolutionTest {

    @TestFactory
    Stream<DynamicTest> everyContractIsCompatibleWithItsHistory() throws Exception {
        return Contracts.ALL.stream()
                .filter(distinctRecords())
                .flatMap(c -> history(c.schema().getName()).stream()
                        .map(old -> DynamicTest.dynamicTest(c.schema().getName() + " vs " + old.getFileName(), () -> {
                            Schema previous = parse(old);
                            Schema current = c.schema();
                            assertThat(compatibility(current, previous))
                                    .as("new readers read old data (backward)")
                                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                            assertThat(compatibility(previous, current))
                                    .as("old readers read new data (forward)")
                                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                        })));
    }

    @TestFactory
    Stream<DynamicTest> theNewestHistoryEntryIsTheCurrentSchema() {
        return Contracts.ALL.stream()
                .filter(distinctRecords())
                .map(c -> DynamicTest.dynamicTest(c.schema().getName(), () -> {
                    List<Path> versions = history(c.schema().getName());
                    assertThat(versions)
                            .as("a history entry for " + c.schema().getName())
                            .isNotEmpty();
                    // Parsing Canonical Form: structure, names and defaults, without docs and Java-only properties
                    assertThat(SchemaNormalization.toParsingForm(parse(versions.get(versions.size() - 1))))
                            .isEqualTo(SchemaNormalization.toParsingForm(c.schema()));
                }));
    }

    /** A record carried by several topics is one contract to check. */
    private static java.util.function.Predicate<Contracts.Contract> distinctRecords() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return c -> seen.add(c.subject());
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getType();
    }

    private static List<Path> history(String record) {
        try {
            Path dir = Path.of(SchemaEvolutionTest.class
                    .getResource("/schema-history/" + record)
                    .toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.toString().endsWith(".avsc"))
                        .sorted((a, b) -> Integer.compare(version(a), version(b)))
                        .toList();
            }
        } catch (IOException | URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no schema history for " + record, e);
        }
    }

    private static int version(Path p) {
        return Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""));
    }

    private static Schema parse(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new Schema.Parser().parse(in);
        }
    }
}

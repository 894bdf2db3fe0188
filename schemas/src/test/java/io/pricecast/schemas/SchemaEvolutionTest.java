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
 * Changing a contract means adding the new version there too. Every contract is at its first version today, so the
 * history check compares each with itself; {@link #theCheckTellsACompatibleNextVersionFromAnIncompatibleOne} shows
 * the check refuses an incompatible next version, and the real registry's refusal of one is tested on a running
 * registry (test-support's {@code AvroWireFormatTest}).
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

    /**
     * The check above only proves something if it can fail: for every contract, a next version with an added optional
     * field passes both ways, and one with a field added without a default fails backward (a new reader cannot fill
     * it from old data). Until a contract has a second version in its history, this is what shows the check works.
     */
    @TestFactory
    Stream<DynamicTest> theCheckTellsACompatibleNextVersionFromAnIncompatibleOne() {
        return Contracts.ALL.stream()
                .filter(distinctRecords())
                .map(c -> DynamicTest.dynamicTest(c.schema().getName(), () -> {
                    Schema current = c.schema();
                    Schema optional = withField(
                            current,
                            new Schema.Field(
                                    "added_in_test",
                                    Schema.createUnion(
                                            Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                                    null,
                                    Schema.Field.NULL_DEFAULT_VALUE));
                    Schema required =
                            withField(current, new Schema.Field("required_in_test", Schema.create(Schema.Type.LONG)));
                    assertThat(compatibility(optional, current)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                    assertThat(compatibility(current, optional)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                    assertThat(compatibility(required, current))
                            .as("a new reader of data without the required field")
                            .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
                }));
    }

    private static Schema withField(Schema record, Schema.Field added) {
        List<Schema.Field> fields = new java.util.ArrayList<>();
        record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(added);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
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

package io.pricecast.runtime.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlMigrationsTest {

    private static final String FIRST = "cql-migrations-test/V001__first_tables.cql";
    private static final String SECOND = "cql-migrations-test/V002__second_changes.cql";
    private static final String NOT_IDEMPOTENT = "cql-migrations-test/V003__not_idempotent.cql";

    @Test
    void readsVersionAndDescriptionFromTheFileName() {
        assertThat(MigrationFile.of(SECOND)).isEqualTo(new MigrationFile(SECOND, 2, "second_changes"));
        assertThat(MigrationFile.of("V010__x.cql")).isEqualTo(new MigrationFile("V010__x.cql", 10, "x"));
    }

    @Test
    void refusesFileNamesThatBreakTheRule() {
        for (String name : List.of(
                "cql/V1__sink_tables.cql",
                "cql/V0001__a.cql",
                "cql/V001_a.cql",
                "cql/V001__A.cql",
                "cql/V001__.cql",
                "cql/V001__a.sql",
                "cql/v001__a.cql",
                "cql/V001__a__b.cql")) {
            assertThatThrownBy(() -> MigrationFile.of(name))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name + " must be named like V001__");
        }
        assertThatThrownBy(() -> MigrationFile.of("cql/V000__a.cql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("versions start at V001");
    }

    @Test
    void ordersTheFilesByVersionWhateverTheOrderGiven() {
        CqlMigrations migrations = CqlMigrations.of(List.of(SECOND, FIRST));
        assertThat(migrations.files()).extracting(MigrationFile::version).containsExactly(1, 2);
        assertThat(migrations.statements("my_space"))
                .containsExactly(
                        "CREATE TYPE IF NOT EXISTS my_space.a_type (\n    x int\n)",
                        "CREATE TABLE IF NOT EXISTS my_space.first (\n    id text PRIMARY KEY\n)",
                        "ALTER TABLE my_space.first ADD IF NOT EXISTS note text",
                        "DROP TABLE IF EXISTS my_space.gone");
    }

    @Test
    void refusesTwoFilesOfOneVersionAndAGapInTheVersions() {
        assertThatThrownBy(() -> CqlMigrations.of(List.of(FIRST, "other/V001__again.cql")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CQL migrations " + FIRST + " and other/V001__again.cql share a version");
        assertThatThrownBy(() -> CqlMigrations.of(List.of(FIRST, NOT_IDEMPOTENT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CQL migration V002 is missing before " + NOT_IDEMPOTENT);
        assertThatThrownBy(() -> CqlMigrations.of(List.of(SECOND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CQL migration V001 is missing before " + SECOND);
    }

    @Test
    void refusesAStatementThatCannotBeAppliedTwice() {
        CqlMigrations migrations = CqlMigrations.of(List.of(FIRST, SECOND, NOT_IDEMPOTENT));
        assertThatThrownBy(() -> migrations.statements("my_space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(NOT_IDEMPOTENT + ": a statement applied at every start must be idempotent")
                .hasMessageEndingWith("CREATE TABLE my_space.again (id text PRIMARY KEY)");
    }

    @Test
    void refusesAKeyspaceNameThatCouldInjectCql() {
        assertThatThrownBy(() -> CqlMigrations.of(List.of(FIRST)).statements("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyspace name 'x; DROP TABLE y'");
    }

    @Test
    void saysWhichFileIsMissingFromTheClasspath() {
        assertThatThrownBy(() -> CqlMigrations.of(List.of("cql-migrations-test/V001__absent.cql"))
                        .statements("ks"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CQL migration cql-migrations-test/V001__absent.cql is not on the classpath");
    }
}

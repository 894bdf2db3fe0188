package io.pricecast.input.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.input.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsExactlyTheCountsAsJson() throws IOException {
        Path sample = TestFiles.copyResource(TestFiles.SAMPLE, temp);

        int exit = run(sample.toString(), "--json");

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_READ);
        assertThat(out)
                .hasToString(
                        "{\"total\":1095,\"accepted\":1095,\"duplicates\":0,\"rejected\":{}}" + System.lineSeparator());
    }

    @Test
    void exitsZeroWithRejectionsAndListsTheFirstRejectedLines() throws IOException {
        Path corpus = TestFiles.copyResource(TestFiles.CORPUS, temp);

        int exit = run(corpus.toString(), "--show", "3");

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_READ);
        assertThat(out.toString())
                .contains(
                        "total 17, accepted 4, duplicates 1, rejected 12",
                        "layout short",
                        "first 3 rejected record(s):")
                .contains(
                        "conflicting_duplicate: line 5:",
                        "missing_field: line 6: field 'date' is missing",
                        "missing_field: line 7: field 'low' is missing")
                .doesNotContain("line 8:");
    }

    @Test
    void exitsNonZeroNamingTheHeaderOfAnUnknownLayout() throws IOException {
        Path file = TestFiles.write(temp, "odd.csv", "ticker,day\nBTC,2020-01-01\n");

        assertThat(run(file.toString())).isEqualTo(ValidateCommand.EXIT_UNREADABLE);
        assertThat(err.toString()).contains("unknown CSV layout", "'ticker,day'");
        assertThat(run(temp.resolve("absent.csv").toString(), "--json")).isEqualTo(ValidateCommand.EXIT_UNREADABLE);
        assertThat(err.toString()).contains("cannot read");
    }

    private int run(String... args) {
        return new CommandLine(new ValidateCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}

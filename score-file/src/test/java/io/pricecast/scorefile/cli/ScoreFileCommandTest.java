package io.pricecast.scorefile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.scorefile.ReferencePredictions;
import io.pricecast.scorefile.SampleFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreFileCommandTest {

    @Test
    void helpDescribesTheOptions() {
        StringWriter help = new StringWriter();
        CommandLine command = new CommandLine(new ScoreFileCommand()).setOut(new PrintWriter(help));

        assertThat(command.execute("--help")).isZero();
        assertThat(help.toString()).contains("--input", "--output", "--model", "--engine");
    }

    @Test
    void writesOnePredictionPerInputRowWithTheBuiltInModel(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("preds.csv");

        int exit = new CommandLine(new ScoreFileCommand())
                .execute(
                        "--input",
                        SampleFiles.path(SampleFiles.SAMPLE_PRICES).toString(),
                        "--output",
                        output.toString(),
                        "--engine",
                        "java");

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(1 + 1_095);
        ReferencePredictions.assertMatches(Files.readString(output));
    }

    @Test
    void missingInputIsAUsageError() {
        CommandLine command = new CommandLine(new ScoreFileCommand()).setErr(new PrintWriter(new StringWriter()));

        assertThat(command.execute("--output", "x.csv")).isEqualTo(CommandLine.ExitCode.USAGE);
    }
}

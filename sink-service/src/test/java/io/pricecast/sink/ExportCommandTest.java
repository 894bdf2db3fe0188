package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.sink.cli.ExportCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExportCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ExportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        cli.execute(args);
        return out.toString().strip();
    }

    @Test
    void printsThePredUrlWithEveryFilterEncoded() {
        assertThat(run(
                        "--dataset",
                        "my data",
                        "--symbols",
                        "BTC,ETH",
                        "--from",
                        "2018-01-01",
                        "--to",
                        "2018-02-01",
                        "--model",
                        "v 2",
                        "--url",
                        "http://sink:8084/",
                        "--print-url"))
                .isEqualTo("http://sink:8084/predictions.csv?dataset=my+data&symbols=BTC%2CETH&from=2018-01-01"
                        + "&to=2018-02-01&model=v+2");
    }

    @Test
    void helpNamesTheOptions() {
        assertThat(run("--help"))
                .contains("--dataset", "--out", "--print-url", "--symbols", "--from", "--to", "--model", "--url");
    }

    @Test
    void refusesToDownloadWithoutAnOutputFile() {
        assertThat(new CommandLine(new ExportCommand()).execute("--dataset", "d", "--url", "http://127.0.0.1:1"))
                .isEqualTo(2);
    }

    @Test
    void failsWithExitOneWhenTheSinkIsNotReachable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(new CommandLine(new ExportCommand())
                        .execute(
                                "--dataset",
                                "d",
                                "--out",
                                dir.resolve("x.csv").toString(),
                                "--url",
                                "http://127.0.0.1:1"))
                .isEqualTo(1);
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }
}

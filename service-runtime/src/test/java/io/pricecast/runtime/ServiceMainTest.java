package io.pricecast.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ServiceMainTest {

    @Test
    void helpPrintsTheUsageAndStartsNothing() throws Exception {
        AtomicBoolean started = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            ServiceMain.run(
                    "demo-service", "\n  Usage: demo-service\n  Serves nothing.\n", new String[] {"--help"}, env -> {
                        started.set(true);
                        throw new AssertionError("must not start");
                    });
        } finally {
            System.setOut(original);
        }

        assertThat(started).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Usage: demo-service\n  Serves nothing.\n");
    }
}

package io.pricecast.stack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./pricecast down}. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = {
            "Stops every component in reverse order: SIGTERM, then SIGKILL after PRICECAST_STOP_TIMEOUT_SECONDS.",
            "Data is kept in PRICECAST_HOME; the next 'up' reuses it."
        })
final class DownCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PricecastCommand.stack().down();
        return 0;
    }
}

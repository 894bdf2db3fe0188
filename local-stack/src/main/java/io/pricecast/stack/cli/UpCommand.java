package io.pricecast.stack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./pricecast up}. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Starts every component of the local stack that is not running, waits until each is healthy,",
            "and creates the topics and the keyspace (idempotent). Existing data is kept."
        })
final class UpCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        var stack = PricecastCommand.stack();
        stack.up();
        StatusCommand.print(stack);
        return 0;
    }
}

package io.pricecast.stack.cli;

import io.pricecast.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./pricecast status}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows each component: pid, port, health and log file. Exit code 0 only when all are healthy.")
final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return print(PricecastCommand.stack()) ? 0 : 3;
    }

    static boolean print(LocalStack stack) {
        System.out.printf("%-11s %-8s %-6s %-9s %s%n", "COMPONENT", "PID", "PORT", "HEALTH", "DETAIL");
        boolean allUp = true;
        for (var s : stack.status()) {
            allUp &= s.health().healthy();
            System.out.printf(
                    "%-11s %-8s %-6d %-9s %s%n",
                    s.name(),
                    s.pid() == null ? "-" : s.pid(),
                    s.port(),
                    s.health().healthy() ? "healthy" : s.pid() == null ? "stopped" : "unhealthy",
                    (s.host().equals("127.0.0.1") ? "" : "on " + s.host() + ": ")
                            + s.health().detail());
        }
        System.out.println("state: " + stack.config().home());
        return allUp;
    }
}

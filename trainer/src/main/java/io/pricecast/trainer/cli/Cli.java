package io.pricecast.trainer.cli;

import picocli.CommandLine;

/** Runs a command: usage errors and failures print one line naming the command and the cause, exit code 1 / 2. */
final class Cli {

    private Cli() {}

    static int run(Object command, String name, String[] args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println(name + ": " + message(e));
            if (System.getenv("PRICECAST_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
        return line.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        if ((m == null || m.isBlank()) && cause != null) {
            return message(cause);
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}

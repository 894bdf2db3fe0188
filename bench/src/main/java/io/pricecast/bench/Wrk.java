package io.pricecast.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} HTTP load generator (Debian package {@code wrk}) as a child process: found on the PATH, or installed
 * with {@code apt-get} when it is missing and this process may (root, or {@code sudo} without a password); its output
 * parsed into requests/s and the latency distribution of {@code --latency}.
 */
final class Wrk {

    /** What a user runs to get wrk when the bench cannot install it. */
    static final String INSTALL_HINT = "sudo apt-get install -y wrk (Debian/Ubuntu; or build it from "
            + "https://github.com/wg/wrk and put it on the PATH)";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    /** A run may take this much longer than its duration (start, the last responses, the report). */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s*([0-9.]+)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$");
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m|h),");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses:\\s+(\\d+)\\s*$");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)\\s*$");

    private final Path executable;

    private Wrk(Path executable) {
        this.executable = executable;
    }

    /** @return the executable run */
    Path executable() {
        return executable;
    }

    /** @return the first line {@code wrk -v} prints ("wrk 4.1.0 [epoll] ..."), without its copyright */
    String version() {
        try {
            Process p = new ProcessBuilder(executable.toString(), "-v")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("").strip();
            int copyright = first.indexOf(" Copyright");
            return copyright > 0 ? first.substring(0, copyright) : first;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** @return wrk on the PATH, if any */
    static Optional<Path> onPath() {
        return onPath("wrk");
    }

    /**
     * @return the command prefix that runs apt-get as root: empty when this process is root, {@code sudo -n} when
     *         sudo works without a password; absent when neither (or there is no apt-get)
     */
    static Optional<List<String>> rootPrefix() {
        if (onPath("apt-get").isEmpty()) {
            return Optional.empty();
        }
        if ("0".equals(output(List.of("id", "-u")).strip())) {
            return Optional.of(List.of());
        }
        if (onPath("sudo").isPresent() && exitCode(List.of("sudo", "-n", "true")) == 0) {
            return Optional.of(List.of("sudo", "-n"));
        }
        return Optional.empty();
    }

    /** @return whether wrk is there or this process can install it */
    static boolean availableOrInstallable() {
        return onPath().isPresent() || rootPrefix().isPresent();
    }

    /**
     * @param log      where apt-get's output goes when wrk has to be installed
     * @param progress where progress lines go
     * @return wrk, installed first from Debian's packages when missing and this process may install packages
     * @throws IllegalStateException saying how to install it when it is missing and cannot be installed
     */
    static Wrk locateOrInstall(Path log, Consumer<String> progress) {
        Optional<Path> found = onPath();
        if (found.isPresent()) {
            return new Wrk(found.get());
        }
        Optional<List<String>> root = rootPrefix();
        if (root.isEmpty()) {
            throw new IllegalStateException(
                    "the predict section needs the HTTP load generator wrk, which is not on the "
                            + "PATH, and this process cannot install packages (not root, no password-less sudo, or no apt-get). "
                            + "Install it with: " + INSTALL_HINT
                            + ", then run the bench again (or leave the section out with "
                            + "--only pipeline)");
        }
        progress.accept("predict: wrk is not installed; installing it with " + String.join(" ", root.get())
                + (root.get().isEmpty() ? "" : " ") + "apt-get install -y wrk (log: " + log + ")");
        List<String> install = new ArrayList<>(root.get());
        install.addAll(List.of("apt-get", "install", "-y", "--no-install-recommends", "wrk"));
        if (run(install, log) != 0) {
            List<String> update = new ArrayList<>(root.get());
            update.addAll(List.of("apt-get", "update"));
            run(update, log);
            run(install, log);
        }
        return onPath().map(Wrk::new)
                .orElseThrow(() -> new IllegalStateException(
                        "installing wrk with apt-get failed " + "(see " + log + "); install it with: " + INSTALL_HINT));
    }

    /**
     * Starts one wrk run; {@link Running#await()} waits for it and parses its output.
     *
     * @param threads     {@code -t}
     * @param connections {@code -c}
     * @param duration    {@code -d}, whole seconds
     * @param script      {@code -s} Lua script, null for a plain GET
     * @param url         the URL
     * @param output      where wrk's output is written
     * @return the running process
     * @throws IOException when it cannot start
     */
    Running start(int threads, int connections, Duration duration, Path script, String url, Path output)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "-t" + threads,
                "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency",
                "--timeout",
                "10s"));
        if (script != null) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new Running(process, command, output, duration.plus(GRACE));
    }

    /**
     * Runs wrk once and waits for it.
     *
     * @return its parsed output
     * @throws IOException when it cannot start
     * @throws IllegalStateException when it fails or gives no figures
     */
    Result run(int threads, int connections, Duration duration, Path script, String url, Path output)
            throws IOException {
        return start(threads, connections, duration, script, url, output).await();
    }

    /** A wrk process started by {@link #start}. */
    static final class Running {
        private final Process process;
        private final List<String> command;
        private final Path output;
        private final Duration timeout;

        private Running(Process process, List<String> command, Path output, Duration timeout) {
            this.process = process;
            this.command = command;
            this.output = output;
            this.timeout = timeout;
        }

        /**
         * @return the parsed output
         * @throws IllegalStateException when wrk exits with an error, outlives its duration by far, or prints no figures
         */
        Result await() throws IOException {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("wrk (pid " + process.pid() + ") did not finish within "
                            + timeout.toSeconds() + " s: " + String.join(" ", command));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for wrk", e);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + text.strip());
            }
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        e.getMessage() + ": " + String.join(" ", command) + "\n" + text.strip(), e);
            }
        }
    }

    /**
     * What one wrk run printed.
     *
     * @param requestsPerSecond the {@code Requests/sec} line
     * @param requests          requests completed
     * @param seconds           the run's duration as wrk measured it
     * @param latencyMs         the {@code --latency} distribution: percentile (50, 75, 90, 99) to milliseconds
     * @param non2xx            responses that were not 2xx or 3xx
     * @param socketErrors      connect + read + write + timeout errors
     */
    record Result(
            double requestsPerSecond,
            long requests,
            double seconds,
            Map<Double, Double> latencyMs,
            long non2xx,
            long socketErrors) {

        /** @return the 99th percentile latency in ms, NaN when the output had no distribution */
        double p99Ms() {
            return latencyMs.getOrDefault(99.0, Double.NaN);
        }

        /** @return the median latency in ms, NaN when the output had no distribution */
        double p50Ms() {
            return latencyMs.getOrDefault(50.0, Double.NaN);
        }

        /** @return the figures as report.json shows them */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests_per_second", requestsPerSecond);
            m.put("requests", requests);
            m.put("seconds", seconds);
            Map<String, Double> latency = new LinkedHashMap<>();
            latencyMs.forEach((p, ms) -> latency.put(
                    String.format(Locale.ROOT, "p%s", p == Math.rint(p) ? Long.toString(p.longValue()) : p.toString()),
                    ms));
            m.put("latency_ms", latency);
            m.put("non_2xx", non2xx);
            m.put("socket_errors", socketErrors);
            return m;
        }
    }

    /**
     * @param output what {@code wrk --latency} printed
     * @return its figures
     * @throws IllegalArgumentException when it has no {@code Requests/sec} line
     */
    static Result parse(String output) {
        Matcher rps = REQUESTS_PER_SECOND.matcher(output);
        if (!rps.find()) {
            throw new IllegalArgumentException("wrk printed no Requests/sec line");
        }
        Map<Double, Double> latency = new LinkedHashMap<>();
        int distribution = output.indexOf("Latency Distribution");
        if (distribution >= 0) {
            Matcher p = PERCENTILE.matcher(output);
            p.region(distribution, output.length());
            while (p.find()) {
                latency.put(Double.parseDouble(p.group(1)), millis(Double.parseDouble(p.group(2)), p.group(3)));
            }
        }
        long requests = 0;
        double seconds = Double.NaN;
        Matcher r = REQUESTS.matcher(output);
        if (r.find()) {
            requests = Long.parseLong(r.group(1));
            seconds = millis(Double.parseDouble(r.group(2)), r.group(3)) / 1000;
        }
        long non2xx = 0;
        Matcher n = NON_2XX.matcher(output);
        if (n.find()) {
            non2xx = Long.parseLong(n.group(1));
        }
        long errors = 0;
        Matcher e = SOCKET_ERRORS.matcher(output);
        if (e.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(e.group(g));
            }
        }
        return new Result(Double.parseDouble(rps.group(1)), requests, seconds, latency, non2xx, errors);
    }

    /** wrk's time units (its {@code format_time}) to milliseconds. */
    private static double millis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> throw new IllegalArgumentException("unknown wrk time unit " + unit);
        };
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int exitCode(List<String> command) {
        return exitCode(command, ProcessBuilder.Redirect.DISCARD, Duration.ofSeconds(10));
    }

    private static int run(List<String> command, Path log) {
        return exitCode(command, ProcessBuilder.Redirect.appendTo(log.toFile()), INSTALL_TIMEOUT);
    }

    /** Runs a command with stdin closed and its output sent to {@code output}; -1 when it cannot start or times out. */
    private static int exitCode(List<String> command, ProcessBuilder.Redirect output, Duration timeout) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

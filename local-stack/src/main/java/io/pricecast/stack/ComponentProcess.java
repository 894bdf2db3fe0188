package io.pricecast.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operating-system side of a component: finding, starting and stopping its process.
 *
 * <p>A component's process is recognised by two marker properties on its command line
 * ({@code -Dpricecast.component} and {@code -Dpricecast.home}; a process that is not a JVM carries them in an
 * argument of its own, {@link Component#markerArguments}), so a stale pid file or a lost one never leaves a
 * process behind or mistakes another process for ours.
 */
final class ComponentProcess {

    private static final String SETSID = "setsid";

    private final Component component;
    private final StackConfig config;

    ComponentProcess(Component component, StackConfig config) {
        this.component = component;
        this.config = config;
    }

    Path pidFile() {
        return config.runDir().resolve(component.name() + ".pid");
    }

    private String componentMarker() {
        return "-Dpricecast.component=" + component.name();
    }

    private String homeMarker() {
        return "-Dpricecast.home=" + config.home();
    }

    /** @return the live processes of this component under this home, oldest first */
    List<ProcessHandle> find() {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(this::isOurs).orElse(false))
                .toList();
    }

    private boolean isOurs(String commandLine) {
        return commandLine.contains(componentMarker() + " ") && commandLine.contains(homeMarker() + " ");
    }

    /**
     * Starts the process, detached in its own session so it outlives the launcher.
     *
     * @param commandLine the component's command, java executable first
     * @param environment variables added to the inherited environment
     * @return the started process
     * @throws IOException when it cannot be started
     */
    ProcessHandle start(List<String> commandLine, java.util.Map<String, String> environment) throws IOException {
        Files.createDirectories(config.logDir());
        Files.createDirectories(config.runDir());
        List<String> cmd = new ArrayList<>();
        if (onPath(SETSID) != null) {
            cmd.add(SETSID);
        }
        List<String> markers = new ArrayList<>(List.of(componentMarker(), homeMarker()));
        config.runId().ifPresent(id -> markers.add("-Dpricecast.run=" + id));
        cmd.addAll(component.marked(commandLine, markers));
        Path log = component.logFile();
        Files.writeString(
                log,
                "==== " + Instant.now() + " starting " + component.name() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(config.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment()
                .put(
                        "JAVA_HOME",
                        Path.of(commandLine.get(0)).getParent().getParent().toString());
        pb.environment().putAll(environment);
        Process p = pb.start();
        Files.writeString(pidFile(), Long.toString(p.pid()) + "\n");
        return p.toHandle();
    }

    /**
     * Stops every process of this component: SIGTERM, wait, then SIGKILL.
     *
     * @param timeout how long to wait after SIGTERM
     * @return the pids that had to be killed
     */
    List<Long> stop(Duration timeout) {
        List<Long> killed = new ArrayList<>();
        for (ProcessHandle p : find()) {
            p.destroy();
            try {
                p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
                killed.add(p.pid());
                awaitExit(p.onExit(), Duration.ofSeconds(10));
            } catch (ExecutionException e) {
                throw new StackException(
                        "waiting for " + component.name() + " (pid " + p.pid() + ") to stop failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while stopping " + component.name());
            }
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new StackException("cannot remove " + pidFile() + ": " + e.getMessage(), e);
        }
        return killed;
    }

    /**
     * Kills every process of this component with SIGKILL only (no SIGTERM first, so no shutdown hook runs) and
     * waits until each is gone.
     *
     * @return the pids killed
     */
    List<Long> kill() {
        List<Long> killed = new ArrayList<>();
        for (ProcessHandle p : find()) {
            p.destroyForcibly();
            killed.add(p.pid());
            awaitExit(p.onExit(), Duration.ofSeconds(10));
        }
        return killed;
    }

    private static void awaitExit(CompletableFuture<ProcessHandle> exit, Duration timeout) {
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("process did not exit after SIGKILL", e);
        }
    }

    /** @return the pid recorded at the last start, if any */
    Optional<Long> recordedPid() {
        try {
            return Files.exists(pidFile())
                    ? Optional.of(Long.parseLong(Files.readString(pidFile()).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @param program a program's name, or a path (with a {@code /})
     * @return its executable file: the path when it is one, else the first match on PATH; null when there is none
     */
    static Path onPath(String program) {
        if (program.contains(File.separator)) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? p.toAbsolutePath() : null;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}

package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The local stack: an ordered list of components started in order, stopped in reverse.
 *
 * <p>Used by {@code ./pricecast up|down|status} and by the test harness, so tests run exactly the
 * servers users run.
 */
public final class LocalStack {

    /** Below this much free disk under PRICECAST_HOME a start is refused with a clear message. */
    static final long MIN_FREE_DISK_BYTES = 512L * 1024 * 1024;

    private static final Duration HEALTH_POLL = Duration.ofMillis(500);
    private static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final StackConfig config;
    private final List<Component> components;
    /** Further instances of services added after construction (tests: a second scorer); stopped by {@link #down()}. */
    private final List<Component> instances = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Consumer<String> progress;

    /**
     * @param config   the configuration
     * @param progress where progress lines go (the terminal, or a test log)
     */
    public LocalStack(StackConfig config, Consumer<String> progress) {
        this(config, progress, null);
    }

    /**
     * @param config   the configuration
     * @param progress where progress lines go
     * @param repoRoot the repository whose built services to run after the servers, or null for servers only
     */
    public LocalStack(StackConfig config, Consumer<String> progress, java.nio.file.Path repoRoot) {
        this.config = config;
        this.progress = progress;
        List<Component> all = new ArrayList<>(KafkaComponent.all(config));
        all.add(new RegistryComponent(config));
        all.addAll(CassandraComponent.all(config));
        if (repoRoot != null) {
            List<ServiceComponent> services = new ArrayList<>();
            for (ServiceComponent s : ServiceComponent.all(config, repoRoot)) {
                if (s.isBuilt()) {
                    services.add(s);
                } else {
                    progress.accept(s.name() + ": not built yet, skipped");
                }
            }
            all.addAll(services);
            if (Files.exists(config.monitoringFlag())) {
                all.add(new PrometheusComponent(config, services, repoRoot));
            }
        }
        this.components = List.copyOf(all);
    }

    /** @return the configuration */
    public StackConfig config() {
        return config;
    }

    /** @return the components in start order */
    public List<Component> components() {
        return components;
    }

    /**
     * Starts every component that is not running, waits until each is healthy, then initialises it.
     *
     * @throws StackException naming the component, the cause and its log when one cannot start
     */
    public void up() {
        JavaRuntime java = JavaRuntime.of(config.serverJavaHome());
        prepareHome();
        for (List<Component> group : startGroups(components)) {
            up(group, java);
        }
    }

    /**
     * @param ordered components in order
     * @return them in order, each run of consecutive components of one {@link Component#startGroup} as one list,
     *     every other component alone
     */
    static List<List<Component>> startGroups(List<Component> ordered) {
        List<List<Component>> groups = new ArrayList<>();
        for (Component c : ordered) {
            List<Component> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null
                    && c.startGroup() != null
                    && c.startGroup().equals(last.get(0).startGroup())) {
                last.add(c);
            } else {
                groups.add(new ArrayList<>(List.of(c)));
            }
        }
        return groups;
    }

    /** Starts every component of a start group, then waits for each to be healthy, then initialises each. */
    private void up(List<Component> group, JavaRuntime java) {
        List<Launched> launched = new ArrayList<>();
        for (Component c : group) {
            launched.add(launch(c, java));
        }
        for (Launched l : launched) {
            awaitHealthy(l.component(), l.handle(), l.at());
        }
        for (Component c : group) {
            try {
                c.initialize();
            } catch (Exception e) {
                throw new StackException(
                        c.name() + " is up but could not be initialised: " + e.getMessage() + "; see " + c.logFile(),
                        e);
            }
        }
    }

    private record Launched(Component component, ProcessHandle handle, Instant at) {}

    private Launched launch(Component c, JavaRuntime java) {
        ComponentProcess process = new ComponentProcess(c, config);
        List<ProcessHandle> running = process.find();
        Instant started = Instant.now();
        if (!running.isEmpty()) {
            progress.accept(
                    c.name() + ": already running (pid " + running.get(0).pid() + ")");
            return new Launched(c, running.get(0), started);
        }
        preflight(c, java);
        ProcessHandle handle;
        try {
            c.prepare(java);
            handle = process.start(c.command(java), c.environment());
        } catch (IOException e) {
            throw new StackException(c.name() + " cannot start: " + e.getMessage() + "; see " + c.logFile(), e);
        }
        progress.accept(c.name() + ": started pid " + handle.pid() + ", waiting for health on " + c.host() + ":"
                + c.mainPort() + " (log: " + c.logFile() + ")");
        return new Launched(c, handle, started);
    }

    private void preflight(Component c, JavaRuntime java) {
        String runtimeProblem = c.unsupportedRuntime(java);
        if (runtimeProblem != null) {
            throw new StackException(c.name() + " cannot start: " + runtimeProblem);
        }
        for (int port : c.ports()) {
            if (!Ports.isFree(c.host(), port)) {
                if (!Ports.isFree(c.host(), 0)) {
                    throw new StackException(c.name() + " cannot start: the loopback address " + c.host()
                            + " cannot be bound (Linux routes all of 127.0.0.0/8 to the loopback; on macOS add it"
                            + " once with: sudo ifconfig lo0 alias " + c.host() + ")");
                }
                throw new StackException(
                        c.name() + " cannot start: port " + port
                                + (c.host().equals("127.0.0.1") ? "" : " of " + c.host())
                                + " is already in use by another process; stop it or choose other ports (see README, Configuration)");
            }
        }
        try {
            FileStore store = Files.getFileStore(config.home());
            long free = store.getUsableSpace();
            if (free < MIN_FREE_DISK_BYTES) {
                throw new StackException(c.name() + " cannot start: only " + (free >> 20) + " MB free on the disk of "
                        + config.home() + " (at least " + (MIN_FREE_DISK_BYTES >> 20) + " MB needed)");
            }
        } catch (IOException e) {
            throw new StackException("cannot inspect the disk of " + config.home() + ": " + e.getMessage(), e);
        }
    }

    private void awaitHealthy(Component c, ProcessHandle handle, Instant started) {
        Instant deadline = started.plus(config.startTimeout());
        Health last = Health.down("not checked yet");
        while (Instant.now().isBefore(deadline)) {
            if (!handle.isAlive()) {
                throw failure(c, "exited during start-up");
            }
            last = c.check(HEALTH_CHECK_TIMEOUT);
            if (last.healthy()) {
                progress.accept(c.name() + ": healthy after "
                        + Duration.between(started, Instant.now()).toMillis() + " ms (" + last.detail() + ")");
                return;
            }
            try {
                handle.onExit().get(HEALTH_POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running, not yet healthy: poll again
            } catch (java.util.concurrent.ExecutionException e) {
                throw new StackException("waiting for " + c.name() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + c.name());
            }
        }
        throw failure(c, "not healthy after " + config.startTimeout().toSeconds() + " s (" + last.detail() + ")");
    }

    private StackException failure(Component c, String what) {
        String cause = LogDiagnosis.cause(c.logFile());
        String tail = LogDiagnosis.tail(c.logFile(), 8);
        return new StackException(c.name() + " " + what
                + (cause == null ? "" : ": " + cause)
                + "\n--- last lines of " + c.logFile() + " ---\n" + tail);
    }

    private void prepareHome() {
        try {
            Files.createDirectories(config.home());
            Files.createDirectories(config.logDir());
            Files.createDirectories(config.runDir());
        } catch (IOException e) {
            throw new StackException(
                    "cannot create the state directory " + config.home() + " (PRICECAST_HOME): " + e.getMessage(), e);
        }
        if (!Files.isWritable(config.home())) {
            throw new StackException("the state directory " + config.home() + " (PRICECAST_HOME) is not writable");
        }
        recordNodes();
    }

    /** A home keeps the node count its data was made with: its servers' data cannot change to another one. */
    private void recordNodes() {
        var recorded = StackConfig.recordedNodes(config.home());
        if (recorded.isPresent() && recorded.get() != config.nodes()) {
            throw new StackException("the state directory " + config.home() + " (PRICECAST_HOME) holds a stack of "
                    + recorded.get() + " node(s), and its data cannot become a stack of " + config.nodes()
                    + ": choose another PRICECAST_HOME for it (e.g. PRICECAST_HOME=.pricecast-" + config.nodes()
                    + "-nodes), or './pricecast down' and delete " + config.home() + " to start afresh");
        }
        try {
            Files.writeString(config.home().resolve(StackConfig.NODES_FILE), config.nodes() + "\n");
        } catch (IOException e) {
            throw new StackException("cannot write the node count into " + config.home() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts one component (or added instance) if it is not running, waits until it is healthy, then
     * initialises it: {@link #up()} for a single component.
     *
     * @param name the component's name
     * @throws StackException naming the component, the cause and its log when it cannot start
     */
    public void start(String name) {
        prepareHome();
        up(List.of(component(name)), JavaRuntime.of(config.serverJavaHome()));
    }

    /**
     * Stops one component gracefully: SIGTERM, then SIGKILL after the stop timeout.
     *
     * @param name the component's name
     * @return the pids that had to be killed after the timeout
     */
    public List<Long> stop(String name) {
        return new ComponentProcess(component(name), config).stop(config.stopTimeout());
    }

    /**
     * Kills every process of one component at once with SIGKILL ({@code kill -9}: no shutdown hook runs) and
     * waits until they are gone.
     *
     * @param name the component's name
     * @return the pids killed
     */
    public List<Long> kill(String name) {
        return new ComponentProcess(component(name), config).kill();
    }

    /**
     * Adds another instance of a service to the stack, not started: same build, consumer groups and
     * application id, its own name, port, log and state directory. {@link #start(String)} starts it,
     * {@link #down()} stops it with the rest; {@link #up()} leaves it alone.
     *
     * @param service          the service it is an instance of ("scoring", ...)
     * @param instanceName     the new component's name, e.g. "scoring-2"
     * @param port             its HTTP port
     * @param extraEnvironment variables set on top of the service's environment
     * @return the instance
     */
    public Component addServiceInstance(
            String service, String instanceName, int port, java.util.Map<String, String> extraEnvironment) {
        if (components.stream().anyMatch(c -> c.name().equals(instanceName))
                || instances.stream().anyMatch(c -> c.name().equals(instanceName))) {
            throw new StackException("a component named '" + instanceName + "' exists already");
        }
        if (!(component(service) instanceof ServiceComponent s)) {
            throw new StackException("'" + service + "' is a server, not a service: it has no further instances");
        }
        ServiceComponent instance = s.instance(instanceName, port, extraEnvironment);
        instances.add(instance);
        return instance;
    }

    /**
     * Stops every component in reverse order: SIGTERM, wait, then SIGKILL. The components of a start group stop
     * together: the last broker of a quorum whose other voters are gone cannot complete its controlled shutdown.
     */
    public void down() {
        List<Component> reversed = new ArrayList<>(components);
        reversed.addAll(instances);
        java.util.Collections.reverse(reversed);
        for (List<Component> group : startGroups(reversed)) {
            // one thread each: all of a group are signalled at once, whatever the machine's core count
            List<Thread> stopping = group.stream()
                    .map(c -> new Thread(() -> down(c), "stop-" + c.name()))
                    .toList();
            stopping.forEach(Thread::start);
            for (Thread t : stopping) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException(
                            "interrupted while stopping " + t.getName().substring(5));
                }
            }
        }
    }

    private void down(Component c) {
        ComponentProcess process = new ComponentProcess(c, config);
        List<ProcessHandle> running = process.find();
        if (running.isEmpty()) {
            progress.accept(c.name() + ": not running");
            process.stop(config.stopTimeout());
            return;
        }
        Instant t0 = Instant.now();
        List<Long> killed = process.stop(config.stopTimeout());
        progress.accept(c.name() + ": stopped in "
                + Duration.between(t0, Instant.now()).toMillis() + " ms"
                + (killed.isEmpty()
                        ? ""
                        : " (killed " + killed + " after "
                                + config.stopTimeout().toSeconds() + " s)"));
    }

    /**
     * Every live process started for this stack's home, whatever its component: empty after {@link #down()} unless
     * something was left behind.
     *
     * @return the processes whose command line carries this home's marker
     */
    public List<ProcessHandle> processesLeft() {
        String marker = "-Dpricecast.home=" + config.home() + " ";
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .toList();
    }

    /** @return one line of status per component */
    public List<ComponentStatus> status() {
        List<ComponentStatus> result = new ArrayList<>();
        for (Component c : components) {
            List<ProcessHandle> running = new ComponentProcess(c, config).find();
            if (running.isEmpty()) {
                result.add(new ComponentStatus(
                        c.name(), null, c.host(), c.mainPort(), Health.down("not running"), c.logFile()));
            } else {
                result.add(new ComponentStatus(
                        c.name(),
                        running.get(0).pid(),
                        c.host(),
                        c.mainPort(),
                        c.check(HEALTH_CHECK_TIMEOUT),
                        c.logFile()));
            }
        }
        return result;
    }

    /**
     * @param name a component name
     * @return its live processes (empty when stopped)
     */
    public List<ProcessHandle> processes(String name) {
        return new ComponentProcess(component(name), config).find();
    }

    /**
     * @param name a component name
     * @return the component
     */
    public Component component(String name) {
        return java.util.stream.Stream.concat(components.stream(), instances.stream())
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new StackException("no component named '" + name + "'; known: "
                        + components.stream().map(Component::name).toList()));
    }

    /**
     * The status of one component.
     *
     * @param name   component name
     * @param pid    its pid, null when stopped
     * @param host   the loopback address it listens on
     * @param port   the port users connect to
     * @param health its health
     * @param log    its log file
     */
    public record ComponentStatus(
            String name, Long pid, String host, int port, Health health, java.nio.file.Path log) {}
}

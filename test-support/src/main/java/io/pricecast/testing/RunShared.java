package io.pricecast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A server one {@code ./pricecast test} run shares across its test JVMs (the run's stack, its SASL broker), through
 * the run's directory: the first JVM that asks starts it and writes how to reach it to {@code <name>.properties};
 * every later JVM reads that file and attaches. A lock file, {@code <name>.lock}, orders JVMs that ask at once. The
 * server outlives the JVM that started it: it carries the run marker, and {@code ./pricecast test} stops it.
 */
final class RunShared {

    /** Starts the server, in a directory of the run's that the run deletes when it ends. */
    @FunctionalInterface
    interface Start<T> {
        T in(Path home) throws IOException;
    }

    private RunShared() {}

    /**
     * @param dir      the run's directory
     * @param name     the files' name in it
     * @param what     how the messages name the server
     * @param attach   the server described by the properties an earlier JVM wrote
     * @param answers  whether that server answers
     * @param start    starts a new one, in a new directory under {@code dir}
     * @param describe the properties that let a later JVM attach to it
     * @return the run's server: the one an earlier JVM started, when it answers, or a new one
     */
    static <T> T attachOrStart(
            Path dir,
            String name,
            String what,
            Function<Properties, T> attach,
            Predicate<T> answers,
            Start<T> start,
            Function<T, Properties> describe) {
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Path file = dir.resolve(name + ".properties");
                if (Files.exists(file)) {
                    Properties known = new Properties();
                    try (InputStream in = Files.newInputStream(file)) {
                        known.load(in);
                    }
                    T attached = attach.apply(known);
                    if (answers.test(attached)) {
                        System.out.println("[test stack] attached to the run's " + what + ": " + known);
                        return attached;
                    }
                    System.out.println(
                            "[test stack] the run's " + what + " in " + file + " does not answer; starting anew");
                }
                T started = start.in(Files.createTempDirectory(dir, name + "-"));
                Path partial = file.resolveSibling(file.getFileName() + ".partial");
                try (OutputStream out = Files.newOutputStream(partial)) {
                    describe.apply(started).store(out, "the " + what + " of one ./pricecast test run");
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return started;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot share the run's " + what + " through " + dir, e);
        }
    }
}

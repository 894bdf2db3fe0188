package io.pricecast.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The runtime classpath of a server, resolved by Maven at build time into
 * {@code pricecast/servers/<name>.classpath} of the server's module (see {@code servers/}).
 */
public final class ServerClasspath {

    private ServerClasspath() {}

    /** @return the classpath of {@code server} (a component's name, e.g. {@code kafka}) */
    public static String of(String server) {
        String resource = "pricecast/servers/" + server + ".classpath";
        try (InputStream in = ServerClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException(
                        "the " + server + " classpath (" + resource + ") is not built; run ./pricecast build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

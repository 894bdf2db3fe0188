package io.pricecast.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The code version stamped into every record's lineage: the git commit the build was made from,
 * with {@code -dirty} when the working tree had uncommitted changes, or {@code unknown} for a build
 * made outside a git checkout.
 */
public final class CodeVersion {

    private static final String RESOURCE = "pricecast/git.properties";
    private static final String CURRENT = load();

    private CodeVersion() {}

    /** @return e.g. {@code 8caa0ea} or {@code 8caa0ea-dirty} */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = CodeVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String commit = p.getProperty("git.commit.id.abbrev", "unknown");
            return Boolean.parseBoolean(p.getProperty("git.dirty", "false")) ? commit + "-dirty" : commit;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}

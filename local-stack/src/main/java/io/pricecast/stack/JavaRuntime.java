package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK that runs the servers, with its feature version read from its {@code release} file.
 *
 * @param home    JAVA_HOME of the runtime
 * @param feature feature version (17 for Java 17)
 */
public record JavaRuntime(Path home, int feature) {

    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)(?:\\.(\\d+))?");

    /**
     * Inspects a JDK.
     *
     * @param home JAVA_HOME
     * @return the runtime
     */
    public static JavaRuntime of(Path home) {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new StackException(
                    "no java executable at " + java + "; set PRICECAST_SERVER_JAVA_HOME to a Java 17 JDK");
        }
        return new JavaRuntime(home, featureOf(home));
    }

    /** @return the java executable */
    public String executable() {
        return home.resolve("bin").resolve("java").toString();
    }

    private static int featureOf(Path home) {
        Path release = home.resolve("release");
        if (Files.isReadable(release)) {
            try {
                Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
                if (m.find()) {
                    int major = Integer.parseInt(m.group(1));
                    return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
                }
            } catch (IOException e) {
                throw new StackException("cannot read " + release + ": " + e.getMessage(), e);
            }
        }
        if (home.equals(Path.of(System.getProperty("java.home")))) {
            return Runtime.version().feature();
        }
        throw new StackException("cannot tell the Java version of " + home + " (no release file)");
    }
}

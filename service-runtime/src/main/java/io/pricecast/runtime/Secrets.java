package io.pricecast.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A secret setting: {@code NAME_FILE} names a file holding it (docker secrets, a file only its owner reads), else
 * {@code NAME} holds it. Values are trimmed; blank means unset. Error messages name the variable, never the value.
 */
public final class Secrets {

    /** Suffix of the variable that names a file holding the secret. */
    public static final String FILE_SUFFIX = "_FILE";

    private Secrets() {}

    /**
     * @param env  the environment
     * @param name the variable, e.g. {@code PRICECAST_KAFKA_SASL_PASSWORD}
     * @return the secret, read from {@code NAME_FILE} when that is set
     * @throws UncheckedIOException naming the variable when the file cannot be read
     */
    public static Optional<String> read(Map<String, String> env, String name) {
        String file = env.get(name + FILE_SUFFIX);
        if (file != null && !file.isBlank()) {
            try {
                return nonBlank(Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read the file named by " + name + FILE_SUFFIX + " (" + file.trim() + ")", e);
            }
        }
        return nonBlank(env.get(name));
    }

    /** The text that stands for a secret in logs and {@code toString}. */
    public static String masked(Optional<String> secret) {
        return secret.isPresent() ? "****" : "(none)";
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}

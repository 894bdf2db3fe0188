package io.pricecast.runtime.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * A shared secret that requests present as {@code Authorization: Bearer <token>}. Configured by {@code NAME_FILE} (a file
 * read at every check, so rotating it makes the previous token stale at once, without a restart) or {@code NAME}.
 * Compared in constant time over the SHA-256 of both values, so neither content nor length leaks through timing. The
 * token is never logged or echoed; {@link #toString()} says only whether one is configured.
 */
public final class BearerToken {

    private static final String BEARER = "Bearer ";

    private final String variable;
    private final Optional<Path> file;
    private final Optional<String> fixed;

    /**
     * @param variable the variable that configures it (named in messages)
     * @param file     a file holding the token, read at every check
     * @param fixed    the token itself, used when there is no file
     */
    public BearerToken(String variable, Optional<Path> file, Optional<String> fixed) {
        this.variable = variable;
        this.file = file;
        this.fixed = fixed.map(String::trim).filter(t -> !t.isEmpty());
    }

    /**
     * @param env      the environment
     * @param variable e.g. {@code PRICECAST_HTTP_READ_TOKEN}; {@code variable + "_FILE"} names a file holding it
     * @return the token they configure (perhaps none)
     */
    public static BearerToken fromEnvironment(Map<String, String> env, String variable) {
        return new BearerToken(
                variable,
                Optional.ofNullable(env.get(variable + "_FILE"))
                        .filter(s -> !s.isBlank())
                        .map(s -> Path.of(s.trim())),
                Optional.ofNullable(env.get(variable)));
    }

    /** The outcome of a check. */
    public enum Result {
        ACCEPTED,
        MISSING,
        WRONG,
        NOT_CONFIGURED
    }

    /** @return whether a token is configured (a file, even an empty one, counts: it may be written later) */
    public boolean configured() {
        return file.isPresent() || fixed.isPresent();
    }

    /** @return the variable that configures it */
    public String variable() {
        return variable;
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @return whether it presents the current token
     */
    public Result check(String authorization) {
        Optional<String> expected = current();
        if (expected.isEmpty()) {
            return Result.NOT_CONFIGURED;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Result.MISSING;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        return MessageDigest.isEqual(presented, sha256(expected.get())) ? Result.ACCEPTED : Result.WRONG;
    }

    private Optional<String> current() {
        if (file.isPresent()) {
            try {
                String token =
                        Files.readString(file.get(), StandardCharsets.UTF_8).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file named by " + variable + "_FILE", e);
            }
        }
        return fixed;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[" + variable + (configured() ? ", configured]" : ", none]");
    }
}

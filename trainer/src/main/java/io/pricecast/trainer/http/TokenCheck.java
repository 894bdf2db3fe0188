package io.pricecast.trainer.http;

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
 * The shared secret that state-changing HTTP requests must present as {@code Authorization: Bearer <token>}.
 * Configured by {@value #FILE_VARIABLE} (a file read at every check, so rotating it makes the previous token stale
 * at once, without a restart) or {@value #VARIABLE}. Compared in constant time over the SHA-256 of both values
 * (so neither content nor length leaks through timing). The token is never logged or echoed. Without a configured
 * token every state-changing request is refused.
 */
public final class TokenCheck {

    public static final String VARIABLE = "PRICECAST_MODELS_TOKEN";
    public static final String FILE_VARIABLE = "PRICECAST_MODELS_TOKEN_FILE";
    private static final String BEARER = "Bearer ";

    private final Optional<Path> file;
    private final Optional<String> fixed;

    public TokenCheck(Optional<Path> file, Optional<String> fixed) {
        this.file = file;
        this.fixed = fixed.filter(t -> !t.isBlank());
    }

    public static TokenCheck fromEnvironment(Map<String, String> env) {
        return new TokenCheck(Optional.ofNullable(env.get(FILE_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of),
                Optional.ofNullable(env.get(VARIABLE)));
    }

    /** The outcome of a check. */
    public enum Result { ACCEPTED, MISSING, WRONG, NOT_CONFIGURED }

    /** @param authorization the request's {@code Authorization} header, or null */
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
                String token = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file named by " + FILE_VARIABLE, e);
            }
        }
        return fixed.map(String::trim);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}

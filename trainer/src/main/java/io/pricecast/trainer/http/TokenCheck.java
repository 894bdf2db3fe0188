package io.pricecast.trainer.http;

import io.pricecast.runtime.http.BearerToken;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The shared secret that state-changing HTTP requests must present as {@code Authorization: Bearer <token>}.
 * Configured by {@value #FILE_VARIABLE} (a file read at every check, so rotating it makes the previous token stale
 * at once, without a restart) or {@value #VARIABLE}. The comparison is service-runtime's {@link BearerToken}: constant
 * time over the SHA-256 of both values (so neither content nor length leaks through timing). The token is never logged
 * or echoed. Without a configured token every state-changing request is refused.
 */
public final class TokenCheck {

    public static final String VARIABLE = "PRICECAST_MODELS_TOKEN";
    /** {@value #VARIABLE} + {@code _FILE}, as {@link BearerToken#fromEnvironment} reads it. */
    public static final String FILE_VARIABLE = VARIABLE + "_FILE";

    private final BearerToken token;

    public TokenCheck(Optional<Path> file, Optional<String> fixed) {
        this(new BearerToken(VARIABLE, file, fixed));
    }

    /** The token {@value #VARIABLE} or the file {@value #FILE_VARIABLE} configures. */
    public static TokenCheck fromEnvironment(Map<String, String> env) {
        return new TokenCheck(BearerToken.fromEnvironment(env, VARIABLE));
    }

    private TokenCheck(BearerToken token) {
        this.token = token;
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    public BearerToken.Result check(String authorization) {
        return token.check(authorization);
    }

    /** @return the token, for reads when {@code PRICECAST_HTTP_READ_TOKEN} protects them (the models token grants reading) */
    public BearerToken token() {
        return token;
    }
}

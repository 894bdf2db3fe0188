package io.pricecast.trainer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.runtime.http.BearerToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCheckTest {

    @TempDir
    Path dir;

    @Test
    void acceptsTheCurrentTokenAndRefusesMissingWrongAndRotatedOnes() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "alpha\n");
        TokenCheck check = new TokenCheck(Optional.of(file), Optional.empty());
        assertThat(check.check("Bearer alpha")).isEqualTo(BearerToken.Result.ACCEPTED);
        assertThat(check.check(null)).isEqualTo(BearerToken.Result.MISSING);
        assertThat(check.check("Basic alpha")).isEqualTo(BearerToken.Result.MISSING);
        assertThat(check.check("Bearer alph")).isEqualTo(BearerToken.Result.WRONG);
        Files.writeString(file, "beta");
        assertThat(check.check("Bearer alpha")).as("stale after rotation").isEqualTo(BearerToken.Result.WRONG);
        assertThat(check.check("Bearer beta")).isEqualTo(BearerToken.Result.ACCEPTED);
    }

    @Test
    void refusesEverythingWhenNoTokenIsConfigured() {
        TokenCheck check = new TokenCheck(Optional.empty(), Optional.of("  "));
        assertThat(check.check("Bearer ")).isEqualTo(BearerToken.Result.NOT_CONFIGURED);
        assertThat(new TokenCheck(Optional.empty(), Optional.of("s3cret")).check("Bearer s3cret"))
                .isEqualTo(BearerToken.Result.ACCEPTED);
    }
}

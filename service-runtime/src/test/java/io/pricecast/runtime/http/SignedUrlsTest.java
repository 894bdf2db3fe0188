package io.pricecast.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.runtime.http.SignedUrls.Scope;
import io.pricecast.runtime.http.SignedUrls.Verdict;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedUrlsTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant IN_A_WEEK = NOW.plus(Duration.ofDays(7));
    private static final SignedUrls SIGNER = SignedUrls.fromEnvironment(Map.of(SignedUrls.KEY_VARIABLE, KEY));

    @Test
    void signaturesAreTheDocumentedHmacOfScopeDatasetAndExpiry() {
        // computed independently: python3 -c "import hmac,hashlib; print(hmac.new(KEY.encode(),
        //   b'upload\nsample\n1767225600', hashlib.sha256).hexdigest())"
        Instant expires = Instant.ofEpochSecond(1_767_225_600L);
        assertThat(SIGNER.sign(Scope.UPLOAD, "sample", expires))
                .isEqualTo("9929eb3394aa097b4ab99a139dad64ebbd40fc8e0ab7cab4402cad85b24d6a1d");
        assertThat(SIGNER.sign(Scope.PREDICTIONS, "sample", expires))
                .isEqualTo("2c49d245007287bdfe4d94cebc8e69ce7f50f8e2f1b5f51dfb393fc5fac11a95");
        assertThat(SIGNER.url("http://127.0.0.1:8082/", Scope.UPLOAD, "sample", expires))
                .isEqualTo("http://127.0.0.1:8082/signed/uploads?dataset=sample&expires=1767225600"
                        + "&signature=9929eb3394aa097b4ab99a139dad64ebbd40fc8e0ab7cab4402cad85b24d6a1d");
        assertThat(SIGNER.url("http://127.0.0.1:8084", Scope.PREDICTIONS, "sample", expires))
                .startsWith(
                        "http://127.0.0.1:8084/signed/predictions.csv?dataset=sample&expires=1767225600&signature=");
    }

    @Test
    void acceptsItsOwnUrlUntilItExpires() {
        Map<String, String> q = query(SIGNER.url("http://h", Scope.PREDICTIONS, "mine", IN_A_WEEK));
        Verdict ok = verify(Scope.PREDICTIONS, q, NOW);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.dataset()).isEqualTo("mine");
        assertThat(verify(Scope.PREDICTIONS, q, IN_A_WEEK.minusSeconds(1)).accepted())
                .isTrue();
        Verdict expired = verify(Scope.PREDICTIONS, q, IN_A_WEEK);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.code()).isEqualTo("expired");
        assertThat(expired.message()).contains("expired at 2026-01-08T00:00:00Z");
    }

    @Test
    void refusesEveryTamperingWith403() {
        Map<String, String> q = query(SIGNER.url("http://h", Scope.UPLOAD, "mine", IN_A_WEEK));
        String signature = q.get("signature");
        char flipped = signature.charAt(10) == '0' ? '1' : '0';
        assertMismatch(
                Scope.UPLOAD, with(q, "signature", signature.substring(0, 10) + flipped + signature.substring(11)));
        assertMismatch(Scope.UPLOAD, with(q, "dataset", "other"));
        assertMismatch(Scope.UPLOAD, with(q, "dataset", "Mine"));
        assertMismatch(Scope.UPLOAD, with(q, "expires", Long.toString(IN_A_WEEK.getEpochSecond() + 1)));
        assertMismatch(Scope.UPLOAD, with(q, "expires", Long.toString(IN_A_WEEK.getEpochSecond() - 86_400)));
        assertMismatch(Scope.PREDICTIONS, q); // a test URL's signature does not open the pred URL
        Map<String, String> pred = query(SIGNER.url("http://h", Scope.PREDICTIONS, "mine", IN_A_WEEK));
        assertMismatch(Scope.UPLOAD, pred); // nor the other way round
        SignedUrls otherKey = SignedUrls.fromEnvironment(Map.of(SignedUrls.KEY_VARIABLE, KEY.replace('0', 'x')));
        assertMismatch(Scope.UPLOAD, query(otherKey.url("http://h", Scope.UPLOAD, "mine", IN_A_WEEK)));
        // the same signature in upper case is the same bytes
        assertThat(verify(Scope.UPLOAD, with(q, "signature", signature.toUpperCase()), NOW)
                        .accepted())
                .isTrue();
    }

    @Test
    void refusesMalformedUrlsAndExpiriesFurtherAheadThanThirtyDays() {
        Map<String, String> q = query(SIGNER.url("http://h", Scope.UPLOAD, "mine", IN_A_WEEK));
        for (String param : new String[] {"dataset", "expires", "signature"}) {
            Map<String, String> without = new LinkedHashMap<>(q);
            without.remove(param);
            Verdict v = verify(Scope.UPLOAD, without, NOW);
            assertThat(v.status()).as(param).isEqualTo(403);
            assertThat(v.code()).as(param).isEqualTo("malformed_signed_url");
            assertThat(v.message()).as(param).contains(param);
        }
        assertThat(verify(Scope.UPLOAD, with(q, "signature", q.get("signature") + "00"), NOW)
                        .code())
                .isEqualTo("malformed_signed_url");
        assertThat(verify(Scope.UPLOAD, with(q, "expires", "-5"), NOW).code()).isEqualTo("malformed_signed_url");
        assertThat(verify(Scope.UPLOAD, with(q, "dataset", "a|b"), NOW).code()).isEqualTo("malformed_signed_url");
        Instant far = NOW.plus(Duration.ofDays(60));
        Verdict tooFar = verify(Scope.UPLOAD, query(SIGNER.url("http://h", Scope.UPLOAD, "mine", far)), NOW);
        assertThat(tooFar.status()).isEqualTo(403);
        assertThat(tooFar.code()).isEqualTo("expiry_too_far");
        assertThat(verify(
                                Scope.UPLOAD,
                                query(SIGNER.url("http://h", Scope.UPLOAD, "mine", NOW.plus(Duration.ofDays(30)))),
                                NOW)
                        .accepted())
                .isTrue();
        assertThatThrownBy(() -> SIGNER.sign(Scope.UPLOAD, "bad name", IN_A_WEEK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotatingTheKeyFileInvalidatesEveryUrlAtOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("url-signing.key"), KEY + "\n");
        SignedUrls verifier = SignedUrls.fromEnvironment(Map.of(SignedUrls.KEY_VARIABLE + "_FILE", file.toString()));
        Map<String, String> old =
                query(SignedUrls.ofKeyFile(file).url("http://h", Scope.PREDICTIONS, "mine", IN_A_WEEK));
        assertThat(verify(verifier, Scope.PREDICTIONS, old, NOW).accepted()).isTrue();
        Files.writeString(file, KEY.replace('a', 'f') + "\n");
        assertThat(verify(verifier, Scope.PREDICTIONS, old, NOW).code()).isEqualTo("signature_mismatch");
        Map<String, String> fresh =
                query(SignedUrls.ofKeyFile(file).url("http://h", Scope.PREDICTIONS, "mine", IN_A_WEEK));
        assertThat(verify(verifier, Scope.PREDICTIONS, fresh, NOW).accepted()).isTrue();
    }

    @Test
    void withoutAUsableKeyEveryRequestIs503AndNothingCanBeSigned(@TempDir Path dir) throws Exception {
        Map<String, String> q = query(SIGNER.url("http://h", Scope.UPLOAD, "mine", IN_A_WEEK));
        Path file = dir.resolve("url-signing.key");
        Map<SignedUrls, String> cases = new LinkedHashMap<>();
        cases.put(SignedUrls.fromEnvironment(Map.of()), "no URL signing key is configured");
        cases.put(SignedUrls.ofKeyFile(file), "does not exist");
        cases.put(SignedUrls.fromEnvironment(Map.of(SignedUrls.KEY_VARIABLE, "short")), "shorter than 32");
        for (Map.Entry<SignedUrls, String> c : cases.entrySet()) {
            Verdict v = verify(c.getKey(), Scope.UPLOAD, q, NOW);
            assertThat(v.status()).as(c.getValue()).isEqualTo(503);
            assertThat(v.code()).isEqualTo("signing_not_configured");
            assertThat(v.message()).contains(c.getValue()).contains(SignedUrls.KEY_VARIABLE);
            assertThatThrownBy(() -> c.getKey().sign(Scope.UPLOAD, "mine", IN_A_WEEK))
                    .isInstanceOf(SignedUrls.KeyUnavailable.class);
        }
        Files.writeString(file, "  \n");
        assertThat(verify(SignedUrls.ofKeyFile(file), Scope.UPLOAD, q, NOW).message())
                .contains("holds no key");
        assertThat(SignedUrls.fromEnvironment(Map.of()).configured()).isFalse();
        assertThat(SignedUrls.ofKeyFile(file).toString()).doesNotContain(file.toString());
    }

    @Test
    void messagesNeverCarryTheKeyOrTheSignature() {
        Map<String, String> q = query(SIGNER.url("http://h", Scope.UPLOAD, "mine", IN_A_WEEK));
        for (Verdict v : new Verdict[] {
            verify(Scope.UPLOAD, q, IN_A_WEEK.plusSeconds(5)),
            verify(Scope.PREDICTIONS, q, NOW),
            verify(Scope.UPLOAD, with(q, "signature", "zz"), NOW)
        }) {
            assertThat(v.message()).doesNotContain(KEY, q.get("signature"));
        }
    }

    @Test
    void parsesLifetimesOfMinutesHoursAndDaysUpToThirtyDays() {
        assertThat(SignedUrls.parseLifetime("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(SignedUrls.parseLifetime("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(SignedUrls.parseLifetime("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(SignedUrls.parseLifetime("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(SignedUrls.parseLifetime("720h")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> SignedUrls.parseLifetime("31d")).hasMessageContaining("at most 30d");
        assertThatThrownBy(() -> SignedUrls.parseLifetime("721h")).hasMessageContaining("at most 30d");
        assertThatThrownBy(() -> SignedUrls.parseLifetime("0m")).hasMessageContaining("at least a minute");
        assertThatThrownBy(() -> SignedUrls.parseLifetime("7 days")).hasMessageContaining("like 30m, 12h or 7d");
        assertThatThrownBy(() -> SignedUrls.parseLifetime("")).hasMessageContaining("like 30m, 12h or 7d");
    }

    private static void assertMismatch(Scope scope, Map<String, String> q) {
        Verdict v = verify(scope, q, NOW);
        assertThat(v.status()).as(q.toString()).isEqualTo(403);
        assertThat(v.code()).as(q.toString()).isEqualTo("signature_mismatch");
        assertThat(v.dataset()).isNull();
    }

    private static Verdict verify(Scope scope, Map<String, String> q, Instant now) {
        return verify(SIGNER, scope, q, now);
    }

    private static Verdict verify(SignedUrls verifier, Scope scope, Map<String, String> q, Instant now) {
        return verifier.verify(scope, q.get("dataset"), q.get("expires"), q.get("signature"), now);
    }

    private static Map<String, String> with(Map<String, String> q, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(q);
        copy.put(name, value);
        return copy;
    }

    static Map<String, String> query(String url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return q;
    }
}

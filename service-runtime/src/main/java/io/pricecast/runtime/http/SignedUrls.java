package io.pricecast.runtime.http;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed URLs in the style of S3's presigned URLs: a URL that carries its own credential, an HMAC-SHA256 over what it
 * may do (its {@link Scope}), the dataset and its expiry, so whoever holds it may do exactly that until it expires and
 * nothing else. Used by ingest (the signed test URL), the sink (the signed pred URL) and {@code ./pricecast urls}.
 *
 * <pre>
 * test URL  PUT|POST {ingest}/signed/uploads?dataset=D&amp;expires=E&amp;signature=S
 * pred URL  GET      {sink}/signed/predictions.csv?dataset=D&amp;expires=E&amp;signature=S
 *
 * E = expiry, epoch seconds (UTC)
 * S = lower-case hex of HMAC-SHA256(key, scope + "\n" + D + "\n" + E), scope "upload" (test URL) or "GET" (pred URL)
 * key = the UTF-8 bytes of PRICECAST_URL_SIGNING_KEY, or of the file named by PRICECAST_URL_SIGNING_KEY_FILE (trimmed)
 * </pre>
 *
 * A key file is read at every signature and verification, so writing a new key into it invalidates every URL signed
 * with the old one at once, without a restart. Signatures are compared in constant time. Neither the key nor a
 * signature is ever logged or put into a message.
 */
public final class SignedUrls {

    /** The variable holding the key ({@code _FILE}: naming a file that holds it). */
    public static final String KEY_VARIABLE = "PRICECAST_URL_SIGNING_KEY";
    /** Every signed route is under this prefix, which {@link HttpGuard} exempts from the bearer tokens. */
    public static final String PATH_PREFIX = "/signed/";

    public static final String DATASET_PARAM = "dataset";
    public static final String EXPIRES_PARAM = "expires";
    public static final String SIGNATURE_PARAM = "signature";
    /** The longest a URL may live: {@code ./pricecast urls} refuses more, the services refuse an expiry further ahead. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(30);
    /** A key shorter than this is refused (the local stack generates 64 hex characters: 256 bits). */
    public static final int MIN_KEY_CHARS = 32;
    /** Clock skew allowed between the signer and the verifier when checking {@link #MAX_LIFETIME}. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern LIFETIME = Pattern.compile("([0-9]{1,6})([mhd])");
    private static final String HMAC = "HmacSHA256";

    /** What a signed URL may do. */
    public enum Scope {
        /** The test URL: one CSV upload into the dataset, by {@code PUT} or {@code POST}. */
        UPLOAD("upload", "/signed/uploads", Set.of("PUT", "POST")),
        /** The pred URL: the dataset's predictions CSV, by {@code GET}. */
        PREDICTIONS("GET", "/signed/predictions.csv", Set.of("GET"));

        private final String label;
        private final String path;
        private final Set<String> methods;

        Scope(String label, String path, Set<String> methods) {
            this.label = label;
            this.path = path;
            this.methods = methods;
        }

        /** @return the scope's first line of the signed text */
        public String label() {
            return label;
        }

        /** @return the route's path */
        public String path() {
            return path;
        }

        /** @return the HTTP methods the URL may be used with */
        public Set<String> methods() {
            return methods;
        }
    }

    /**
     * The outcome of a verification: accepted (status 200, the dataset), or refused with the status to answer (403, or
     * 503 when no key is configured), a code and a message for people. The message never holds the key or a signature.
     *
     * @param status  200 when accepted
     * @param code    {@code ok}, {@code signing_not_configured}, {@code malformed_signed_url}, {@code signature_mismatch},
     *                {@code expired} or {@code expiry_too_far}
     * @param message what it means
     * @param dataset the signed dataset when accepted, else null
     */
    public record Verdict(int status, String code, String message, String dataset) {

        /** @return whether the URL may be used */
        public boolean accepted() {
            return status == 200;
        }

        static Verdict refused(int status, String code, String message) {
            return new Verdict(status, code, message, null);
        }
    }

    /** No usable key: signing is impossible, and the signed routes answer 503. */
    public static final class KeyUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyUnavailable(String message) {
            super(message);
        }
    }

    private final Optional<Path> file;
    private final Optional<String> fixed;

    private SignedUrls(Optional<Path> file, Optional<String> fixed) {
        this.file = file;
        this.fixed = fixed.map(String::trim).filter(k -> !k.isEmpty());
    }

    /**
     * @param env the environment: {@code PRICECAST_URL_SIGNING_KEY_FILE} (preferred) or {@code PRICECAST_URL_SIGNING_KEY}
     * @return the signer and verifier they configure (perhaps without a key)
     */
    public static SignedUrls fromEnvironment(Map<String, String> env) {
        return new SignedUrls(
                Optional.ofNullable(env.get(KEY_VARIABLE + "_FILE"))
                        .filter(s -> !s.isBlank())
                        .map(s -> Path.of(s.trim())),
                Optional.ofNullable(env.get(KEY_VARIABLE)));
    }

    /** @return one whose key is the file's content, read at every use */
    public static SignedUrls ofKeyFile(Path file) {
        return new SignedUrls(Optional.of(file), Optional.empty());
    }

    /** @return whether a key is configured (a key file counts even while it is missing or empty) */
    public boolean configured() {
        return file.isPresent() || fixed.isPresent();
    }

    /**
     * @param scope   what the URL may do
     * @param dataset the dataset
     * @param expires when it stops working (whole seconds count)
     * @return the hex signature
     * @throws KeyUnavailable           when no usable key is configured
     * @throws IllegalArgumentException when the dataset is not a valid name
     */
    public String sign(Scope scope, String dataset, Instant expires) {
        checkDataset(dataset);
        return HexFormat.of().formatHex(mac(key(), scope, dataset, expires.getEpochSecond()));
    }

    /**
     * @param base    the service's base URL, e.g. {@code http://127.0.0.1:8082}
     * @param scope   what the URL may do
     * @param dataset the dataset
     * @param expires when it stops working
     * @return the whole signed URL
     */
    public String url(String base, Scope scope, String dataset, Instant expires) {
        String signature = sign(scope, dataset, expires);
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return root + scope.path() + "?" + DATASET_PARAM + "=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8)
                + "&" + EXPIRES_PARAM + "=" + expires.getEpochSecond() + "&" + SIGNATURE_PARAM + "=" + signature;
    }

    /**
     * Checks a request's signed parameters. Order: a key must be configured (503), the parameters well formed, the
     * signature must match the scope, dataset and expiry (403 either way), then the expiry must not have passed and be
     * no further ahead than {@link #MAX_LIFETIME} (403).
     *
     * @param scope     the route's scope
     * @param dataset   the {@code dataset} parameter, or null
     * @param expires   the {@code expires} parameter, or null
     * @param signature the {@code signature} parameter, or null
     * @param now       the current time
     * @return the verdict
     */
    public Verdict verify(Scope scope, String dataset, String expires, String signature, Instant now) {
        byte[] key;
        try {
            key = key();
        } catch (KeyUnavailable e) {
            return Verdict.refused(503, "signing_not_configured", e.getMessage());
        }
        if (expires == null && signature == null) {
            return Verdict.refused(
                    403,
                    "malformed_signed_url",
                    "this route needs a signed URL (parameters '" + DATASET_PARAM + "', '" + EXPIRES_PARAM + "' and '"
                            + SIGNATURE_PARAM + "'; ./pricecast urls makes one)");
        }
        if (dataset == null || !DATASET.matcher(dataset).matches()) {
            return Verdict.refused(
                    403,
                    "malformed_signed_url",
                    dataset == null
                            ? "this signed URL names no dataset (parameter '" + DATASET_PARAM + "')"
                            : "this signed URL's dataset is not a valid name");
        }
        if (expires == null || !EXPIRES.matcher(expires).matches()) {
            return Verdict.refused(
                    403,
                    "malformed_signed_url",
                    expires == null
                            ? "this signed URL has no expiry (parameter '" + EXPIRES_PARAM + "', epoch seconds)"
                            : "this signed URL's '" + EXPIRES_PARAM + "' is not a time in epoch seconds");
        }
        if (signature == null || !SIGNATURE.matcher(signature).matches()) {
            return Verdict.refused(
                    403,
                    "malformed_signed_url",
                    signature == null
                            ? "this signed URL has no signature (parameter '" + SIGNATURE_PARAM + "')"
                            : "this signed URL's '" + SIGNATURE_PARAM + "' is not 64 hex characters");
        }
        long expiresAt = Long.parseLong(expires);
        byte[] expected = mac(key, scope, dataset, expiresAt);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.toLowerCase(Locale.ROOT)))) {
            return Verdict.refused(
                    403,
                    "signature_mismatch",
                    "the signature does not match this URL: its dataset, expiry"
                            + " or signature was changed, it was signed for another dataset or route, or the signing key has been"
                            + " rotated since; ask for a new URL (./pricecast urls --dataset D)");
        }
        Instant expiry = Instant.ofEpochSecond(expiresAt);
        if (!now.isBefore(expiry)) {
            return Verdict.refused(
                    403,
                    "expired",
                    "this signed URL expired at " + expiry + " (UTC); ask for a new one"
                            + " (./pricecast urls --dataset " + dataset + ")");
        }
        if (expiry.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            return Verdict.refused(
                    403,
                    "expiry_too_far",
                    "this signed URL expires at " + expiry + " (UTC), more than " + MAX_LIFETIME.toDays()
                            + " days ahead; signed URLs live at most that long");
        }
        return new Verdict(200, "ok", "accepted", dataset);
    }

    /**
     * Parses a lifetime as {@code ./pricecast urls --expires} takes it.
     *
     * @param text {@code 30m}, {@code 12h}, {@code 7d} (minutes, hours, days)
     * @return the duration
     * @throws IllegalArgumentException saying what is accepted, when it is malformed, zero or longer than
     *                                  {@link #MAX_LIFETIME}
     */
    public static Duration parseLifetime(String text) {
        Matcher m = LIFETIME.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a lifetime: a whole number of minutes, hours or days," + " like 30m, 12h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("a signed URL must live at least a minute ('" + text + "')");
        }
        if (d.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than signed URLs may live: at most "
                    + MAX_LIFETIME.toDays() + "d (" + MAX_LIFETIME.toHours() + "h)");
        }
        return d;
    }

    /**
     * @param dataset a dataset name
     * @throws IllegalArgumentException when it is not one (1 to 64 letters, digits, '.', '_' or '-', starting with a
     *                                  letter or digit: ingest's rule)
     */
    public static void checkDataset(String dataset) {
        if (dataset == null || !DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("dataset '" + dataset + "' is not a valid name: 1 to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** @return the current key's bytes */
    private byte[] key() {
        String key;
        if (file.isPresent()) {
            try {
                key = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
            } catch (NoSuchFileException e) {
                throw new KeyUnavailable(
                        "signed URLs are off: the file named by " + KEY_VARIABLE + "_FILE does not exist");
            } catch (IOException e) {
                throw new KeyUnavailable(
                        "signed URLs are off: the file named by " + KEY_VARIABLE + "_FILE cannot be read");
            }
            if (key.isEmpty()) {
                throw new KeyUnavailable(
                        "signed URLs are off: the file named by " + KEY_VARIABLE + "_FILE holds no key");
            }
        } else if (fixed.isPresent()) {
            key = fixed.get();
        } else {
            throw new KeyUnavailable("signed URLs are off: no URL signing key is configured (" + KEY_VARIABLE + " or "
                    + KEY_VARIABLE + "_FILE)");
        }
        if (key.length() < MIN_KEY_CHARS) {
            throw new KeyUnavailable("signed URLs are off: the URL signing key (" + KEY_VARIABLE + ") is shorter than "
                    + MIN_KEY_CHARS + " characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(byte[] key, Scope scope, String dataset, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(stringToSign(scope, dataset, expires).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    }

    /** @return the text a signature covers: scope, dataset and expiry, one per line */
    static String stringToSign(Scope scope, String dataset, long expires) {
        return scope.label() + "\n" + dataset + "\n" + expires;
    }

    @Override
    public String toString() {
        return "SignedUrls[" + (configured() ? "key configured]" : "no key]");
    }
}

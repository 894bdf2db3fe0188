package io.pricecast.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's key of the signed test and pred URLs ({@code io.pricecast.runtime.http.SignedUrls}): a random
 * 256-bit value, 64 hex characters, in {@code $PRICECAST_HOME/url-signing.key}, a file only its owner can read. The
 * services get it as {@code PRICECAST_URL_SIGNING_KEY_FILE} and read it at every signed request, so writing a new key
 * into the file ({@link #rotate}) invalidates every URL signed so far at once.
 */
public final class UrlSigningKey {

    /** The key file's name under {@code PRICECAST_HOME}. */
    public static final String FILE_NAME = "url-signing.key";

    private UrlSigningKey() {}

    /** @return the key file of this stack */
    public static Path file(StackConfig config) {
        return config.home().resolve(FILE_NAME);
    }

    /** Creates the key file when it does not exist; an existing (possibly rotated) key is kept. */
    public static void ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        write(file, false);
    }

    /** Writes a new random key into the file: every URL signed with the previous one stops working. */
    public static void rotate(Path file) throws IOException {
        write(file, true);
    }

    private static void write(Path file, boolean replace) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(
                file.getParent(),
                FILE_NAME,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
        try {
            if (replace) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }
}

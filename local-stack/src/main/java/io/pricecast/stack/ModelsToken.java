package io.pricecast.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The local stack's models-service token: a random 256-bit value in a file only its owner can read. */
final class ModelsToken {

    private ModelsToken() {}

    /** Creates the token file when it does not exist; an existing (possibly rotated) token is kept. */
    static void ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(
                file.getParent(),
                "models.token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }
}

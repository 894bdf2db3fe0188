package io.pricecast.ingest.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An upload body stored in a local file, with its sha256 and size. The body is streamed to disk while
 * it is hashed and counted, never held in memory, and refused as soon as it passes the limit.
 *
 * @param path   where it is
 * @param sha256 its sha256 (hex)
 * @param bytes  its size
 */
public record ReceivedFile(Path path, String sha256, long bytes) {

    private static final int BUFFER_BYTES = 64 * 1024;

    /**
     * @param body           the request body
     * @param directory      where to store it
     * @param declaredLength the request's Content-Length, or -1
     * @param limitBytes     the largest body accepted
     * @return the stored file
     * @throws UploadTooLargeException when the declared or the actual size passes the limit (nothing is kept)
     */
    public static ReceivedFile receive(InputStream body, Path directory, long declaredLength, long limitBytes)
            throws IOException {
        if (declaredLength > limitBytes) {
            throw tooLarge("the upload declares " + declaredLength + " bytes", limitBytes);
        }
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "incoming-", ".csv");
        MessageDigest digest = UploadId.sha256();
        long total = 0;
        boolean kept = false;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (total > limitBytes) {
                    throw tooLarge("the upload passed " + limitBytes + " bytes", limitBytes);
                }
                out.write(buffer, 0, n);
            }
            kept = true;
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
        return new ReceivedFile(file, HexFormat.of().formatHex(digest.digest()), total);
    }

    private static UploadTooLargeException tooLarge(String what, long limitBytes) {
        return new UploadTooLargeException(
                what + "; the limit is " + limitBytes + " bytes (PRICECAST_INGEST_MAX_UPLOAD_MB)", limitBytes);
    }
}

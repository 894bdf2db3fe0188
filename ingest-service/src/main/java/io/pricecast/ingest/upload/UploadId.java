package io.pricecast.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Upload ids and dataset names. The id is a function of (dataset, file sha256), so the same file sent to
 * the same dataset again is the same upload: it is answered from its record and publishes nothing new.
 */
public final class UploadId {

    /** Hex characters of an upload id (128 bits). */
    static final int ID_HEX_CHARS = 32;
    /** Hex characters of the file hash in a dataset named after the file. */
    static final int DEFAULT_DATASET_HEX_CHARS = 16;
    /** Prefix of the dataset an upload gets when it names none. */
    public static final String DEFAULT_DATASET_PREFIX = "upload-";

    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + ID_HEX_CHARS + "}");

    private UploadId() {}

    /**
     * @param dataset    the upload's dataset
     * @param fileSha256 the file's sha256 (hex)
     * @return the first 32 hex characters of sha256(dataset + newline + file sha256)
     */
    public static String of(String dataset, String fileSha256) {
        return sha256Hex(dataset + "\n" + fileSha256).substring(0, ID_HEX_CHARS);
    }

    /**
     * A dataset of the file's own, for uploads that name none: an uploaded historical file yields
     * predictions for exactly that file, and the same file sent twice is still one upload.
     *
     * @param fileSha256 the file's sha256 (hex)
     * @return {@code upload-<first 16 hex characters of the file hash>}
     */
    public static String defaultDataset(String fileSha256) {
        return DEFAULT_DATASET_PREFIX + fileSha256.substring(0, DEFAULT_DATASET_HEX_CHARS);
    }

    /**
     * @param dataset a dataset name from a request
     * @throws IllegalArgumentException saying what is allowed, when it is not a valid name
     */
    public static void checkDataset(String dataset) {
        if (!DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("dataset '" + dataset + "' is not a valid name: 1 to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** @return whether the text has the form of an upload id */
    public static boolean looksValid(String id) {
        return ID.matcher(id).matches();
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

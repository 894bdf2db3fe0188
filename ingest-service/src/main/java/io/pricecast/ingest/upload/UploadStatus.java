package io.pricecast.ingest.upload;

import java.util.Locale;

/** Where an upload is: {@code received → publishing → published}, or {@code failed} (retry the upload to resume). */
public enum UploadStatus {
    RECEIVED,
    PUBLISHING,
    PUBLISHED,
    FAILED;

    /** @return the lower-case name used in JSON and in Cassandra */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static UploadStatus ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

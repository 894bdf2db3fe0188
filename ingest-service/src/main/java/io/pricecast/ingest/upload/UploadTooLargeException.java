package io.pricecast.ingest.upload;

/** An upload body over the configured limit (HTTP 413). */
public final class UploadTooLargeException extends RuntimeException {

    private final long limitBytes;

    public UploadTooLargeException(String message, long limitBytes) {
        super(message);
        this.limitBytes = limitBytes;
    }

    /** @return the limit that was exceeded */
    public long limitBytes() {
        return limitBytes;
    }
}

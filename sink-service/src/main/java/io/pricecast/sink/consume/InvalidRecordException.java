package io.pricecast.sink.consume;

/** A record that deserialised but cannot be stored as it is: it goes to the dead letter with this reason. */
public final class InvalidRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String field;

    /**
     * @param reason  machine-readable reason code
     * @param field   the offending field, or null
     * @param message human-readable explanation
     */
    public InvalidRecordException(String reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    /** @return the reason code */
    public String reason() {
        return reason;
    }

    /** @return the offending field, or null */
    public String field() {
        return field;
    }
}

package io.pricecast.input;

import io.pricecast.schemas.RejectReason;
import java.util.Objects;

/**
 * A refused record.
 *
 * @param line the file line (or message offset) of the record
 * @param reason the machine-readable reason
 * @param field the field at fault, or an empty string when the whole record is at fault
 * @param message a human message naming the line (or offset) and the field
 * @param record the record's text as read (CSV fields re-joined; at most the line-length limit), empty
 *     for a record too long to read
 */
public record Rejection(long line, RejectReason reason, String field, String message, String record) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        field = field == null ? "" : field;
        Objects.requireNonNull(message, "message");
        record = record == null ? "" : record;
    }
}

package io.pricecast.sink.consume;

import io.pricecast.schemas.RejectReason;

/** The validation steps the handlers share. */
final class Checks {

    private Checks() {}

    static void text(String value, String field) throws InvalidRecordException {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException(RejectReason.MISSING_FIELD.code(), field, field + " is empty");
        }
    }

    static void positive(double value, String field) throws InvalidRecordException {
        finite(value, field);
        if (value <= 0) {
            throw new InvalidRecordException(
                    RejectReason.NON_POSITIVE_PRICE.code(), field, field + " is " + value + ", not > 0");
        }
    }

    static void finite(double value, String field) throws InvalidRecordException {
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException(RejectReason.NON_FINITE.code(), field, field + " is " + value);
        }
    }

    static void present(Object value, String field) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException(RejectReason.MISSING_FIELD.code(), field, field + " is missing");
        }
    }
}

package io.pricecast.sink.consume;

/** The validation steps the handlers share. */
final class Checks {

    private Checks() {
    }

    static void text(String value, String field) throws InvalidRecordException {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException("missing_field", field, field + " is empty");
        }
    }

    static void positive(double value, String field) throws InvalidRecordException {
        finite(value, field);
        if (value <= 0) {
            throw new InvalidRecordException("non_positive_price", field, field + " is " + value + ", not > 0");
        }
    }

    static void finite(double value, String field) throws InvalidRecordException {
        if (!Double.isFinite(value)) {
            throw new InvalidRecordException("non_finite", field, field + " is " + value);
        }
    }

    static void present(Object value, String field) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("missing_field", field, field + " is missing");
        }
    }
}

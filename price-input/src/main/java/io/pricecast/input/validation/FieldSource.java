package io.pricecast.input.validation;

/** The raw text of a record's fields by name; {@code null} when the record does not have the field. */
@FunctionalInterface
public interface FieldSource {

    String get(String field);
}

package io.pricecast.input.validation;

import java.util.List;

/** The field names of a price record, as used in headers, JSON messages and rejection messages. */
public final class Fields {

    public static final String SYMBOL = "symbol";
    public static final String SLUG = "slug";
    public static final String NAME = "name";
    public static final String DATE = "date";
    public static final String OPEN = "open";
    public static final String HIGH = "high";
    public static final String LOW = "low";
    public static final String CLOSE = "close";
    public static final String VOLUME = "volume";
    public static final String MARKET = "market";
    public static final String DATASET = "dataset";

    /** The short order, used by the short CSV layout and by CSV console messages. */
    public static final List<String> SHORT_ORDER = List.of(SYMBOL, DATE, OPEN, HIGH, LOW, CLOSE, VOLUME, MARKET);

    /** The short order with a trailing slug. */
    public static final List<String> SHORT_ORDER_WITH_SLUG =
            List.of(SYMBOL, DATE, OPEN, HIGH, LOW, CLOSE, VOLUME, MARKET, SLUG);

    private Fields() {}
}

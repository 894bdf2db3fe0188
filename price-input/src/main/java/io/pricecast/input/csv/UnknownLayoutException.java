package io.pricecast.input.csv;

import java.util.List;

/** The file's header matches none of the accepted {@link Layout}s; the whole file is refused. */
public final class UnknownLayoutException extends PriceFileException {

    public UnknownLayoutException(List<String> header) {
        super("unknown CSV layout, header was '" + String.join(",", header) + "'; accepted headers are:"
                + System.lineSeparator() + Layout.describeAll());
    }
}

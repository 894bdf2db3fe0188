package io.pricecast.input.csv;

/**
 * Bounds that keep one bad record from costing unbounded memory.
 *
 * @param maxLineLength longest record, in characters without its line break; longer ones are
 *     rejected with {@code line_too_long} and never parsed. A quoted field spanning lines counts
 *     all of its lines.
 */
public record ReadLimits(int maxLineLength) {

    /** Real rows are about 100 characters; this leaves room for long coin names. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;

    public static final ReadLimits DEFAULTS = new ReadLimits(DEFAULT_MAX_LINE_LENGTH);

    public ReadLimits {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive: " + maxLineLength);
        }
    }
}

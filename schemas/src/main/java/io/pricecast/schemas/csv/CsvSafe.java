package io.pricecast.schemas.csv;

/**
 * Neutralises spreadsheet formula injection in text cells of anything we export as CSV. We keep input
 * text as it came (a coin may legitimately be called {@code -1 Coin}); exporters pass every text cell
 * through {@link #sanitize(String)}.
 */
public final class CsvSafe {

    /** Prefixed to a dangerous cell so spreadsheets show it as text. */
    public static final char TEXT_PREFIX = '\'';

    private CsvSafe() {}

    /**
     * Returns {@code text} prefixed with {@code '} when it starts with {@code = + - @}, a tab or a
     * carriage return (the characters spreadsheets treat as the start of a formula); otherwise
     * {@code text} itself. {@code null} stays {@code null}. Use it for text cells only, not for numbers.
     */
    public static String sanitize(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> TEXT_PREFIX + text;
            default -> text;
        };
    }
}

package io.pricecast.bench;

import java.util.Locale;

/**
 * One size of work: {@code symbols} series, {@code days} days of backfill each, then one daily close.
 *
 * @param symbols series
 * @param days    backfill days per series
 */
record ScalePoint(int symbols, int days) {

    ScalePoint {
        if (symbols <= 0 || days <= 0) {
            throw new IllegalArgumentException("symbols and days must be positive, got " + symbols + "x" + days);
        }
    }

    /**
     * @param text {@code SYMBOLSxDAYS}, e.g. {@code 100000x2}
     * @return the point
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    static ScalePoint parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return new ScalePoint(Integer.parseInt(parts[0].replace("_", "")), Integer.parseInt(parts[1].replace("_", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not SYMBOLSxDAYS (e.g. 100000x2)");
        }
    }

    /** @return backfill records */
    long records() {
        return (long) symbols * days;
    }

    /** @return e.g. {@code 10,000 x 100} */
    String label() {
        return String.format(Locale.ROOT, "%,d x %d", symbols, days);
    }
}

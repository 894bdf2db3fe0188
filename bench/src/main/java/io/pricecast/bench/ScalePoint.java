package io.pricecast.bench;

import java.util.Locale;

/**
 * One size of work: {@code symbols} series, {@code days} days of backfill each, then one daily close.
 *
 * @param symbols  series
 * @param days     backfill days per series
 * @param backfill the path the backfill takes into ingest
 */
record ScalePoint(int symbols, int days, Backfill backfill) {

    /** How the backfill enters the pipeline. */
    enum Backfill {
        /** CSV uploads over HTTP, one per dataset (the test-URL path). */
        UPLOAD,
        /** One console-producer JSON message per record on prices.raw (the daily-feed path). */
        CONSOLE
    }

    ScalePoint {
        if (symbols <= 0 || days <= 0) {
            throw new IllegalArgumentException("symbols and days must be positive, got " + symbols + "x" + days);
        }
    }

    ScalePoint(int symbols, int days) {
        this(symbols, days, Backfill.UPLOAD);
    }

    /**
     * @param text {@code SYMBOLSxDAYS[@upload|@console]}, e.g. {@code 100000x2@console}; uploads by default
     * @return the point
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    static ScalePoint parse(String text) {
        String spec = text.trim().toLowerCase(Locale.ROOT);
        Backfill via = Backfill.UPLOAD;
        int at = spec.indexOf('@');
        try {
            if (at >= 0) {
                via = Backfill.valueOf(spec.substring(at + 1).toUpperCase(Locale.ROOT));
                spec = spec.substring(0, at);
            }
            String[] parts = spec.split("x");
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return new ScalePoint(
                    Integer.parseInt(parts[0].replace("_", "")), Integer.parseInt(parts[1].replace("_", "")), via);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not SYMBOLSxDAYS[@upload|@console] (e.g. 100000x2@console)");
        }
    }

    /** @return backfill records */
    long records() {
        return (long) symbols * days;
    }

    /** @return e.g. {@code 10,000 x 100}, with {@code (console)} when the backfill takes that path */
    String label() {
        return String.format(Locale.ROOT, "%,d x %d", symbols, days)
                + (backfill == Backfill.CONSOLE ? " (console)" : "");
    }

    /** @return the point as {@code --scale} takes it */
    String spec() {
        return symbols + "x" + days + "@" + backfill.name().toLowerCase(Locale.ROOT);
    }
}

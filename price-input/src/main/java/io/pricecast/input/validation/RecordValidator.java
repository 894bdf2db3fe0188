package io.pricecast.input.validation;

import static io.pricecast.input.validation.Fields.CLOSE;
import static io.pricecast.input.validation.Fields.DATE;
import static io.pricecast.input.validation.Fields.HIGH;
import static io.pricecast.input.validation.Fields.LOW;
import static io.pricecast.input.validation.Fields.MARKET;
import static io.pricecast.input.validation.Fields.NAME;
import static io.pricecast.input.validation.Fields.OPEN;
import static io.pricecast.input.validation.Fields.SLUG;
import static io.pricecast.input.validation.Fields.SYMBOL;
import static io.pricecast.input.validation.Fields.VOLUME;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.schemas.RejectReason;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The per-record rules (docs/ingest-rules.md): presence, numbers, dates, price sanity. Rules that
 * need other records (duplicates, order) live in {@code io.pricecast.input.batch}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordValidator {

    /** Longest piece of a bad value quoted back in a message. */
    private static final int MAX_QUOTED_VALUE = 40;

    private static final Set<String> NON_FINITE_WORDS =
            Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");
    private static final DateTimeFormatter ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY_MONTH_YEAR =
            DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT);

    /**
     * Checks one record.
     *
     * @param fields the record's raw fields by name
     * @param line the file line or message offset, kept as the row's lineage
     * @param position how messages name the record, e.g. {@code "line 12"} or {@code "offset 7"}
     * @param recordText the record as read, carried by a rejection (only built for one)
     */
    public LineOutcome validate(FieldSource fields, long line, String position, Supplier<String> recordText) {
        try {
            String symbol = required(fields, SYMBOL, position);
            LocalDate date = date(required(fields, DATE, position), position);
            double open = number(fields, OPEN, position);
            double high = number(fields, HIGH, position);
            double low = number(fields, LOW, position);
            double close = number(fields, CLOSE, position);
            double volume = number(fields, VOLUME, position);
            double market = number(fields, MARKET, position);
            notNegative(VOLUME, volume, position);
            notNegative(MARKET, market, position);
            positive(OPEN, open, position);
            positive(HIGH, high, position);
            positive(LOW, low, position);
            positive(CLOSE, close, position);
            if (high < low) {
                throw new RuleViolation(
                        RejectReason.HIGH_BELOW_LOW,
                        HIGH,
                        position + ": field 'high' " + high + " is below field 'low' " + low);
            }
            insideRange(OPEN, open, low, high, position);
            insideRange(CLOSE, close, low, high, position);
            return new LineOutcome.Parsed(new PriceRow(
                    symbol,
                    optional(fields, SLUG),
                    optional(fields, NAME),
                    date,
                    open,
                    high,
                    low,
                    close,
                    volume,
                    market,
                    line));
        } catch (RuleViolation violation) {
            return new LineOutcome.Rejected(
                    new Rejection(line, violation.reason, violation.field, violation.getMessage(), recordText.get()));
        }
    }

    private static String optional(FieldSource fields, String field) {
        String value = fields.get(field);
        return value == null ? "" : value.strip();
    }

    private static String required(FieldSource fields, String field, String position) {
        String value = optional(fields, field);
        if (value.isEmpty()) {
            throw new RuleViolation(RejectReason.MISSING_FIELD, field, position + ": field '" + field + "' is missing");
        }
        return value;
    }

    private static double number(FieldSource fields, String field, String position) {
        String text = required(fields, field, position);
        if (!isDecimal(text)) {
            if (NON_FINITE_WORDS.contains(text.toLowerCase(Locale.ROOT))) {
                throw new RuleViolation(
                        RejectReason.NON_FINITE,
                        field,
                        position + ": field '" + field + "' is not a finite number: '" + quoted(text) + "'");
            }
            throw new RuleViolation(
                    RejectReason.BAD_NUMBER,
                    field,
                    position + ": field '" + field + "' is not a number: '" + quoted(text) + "'");
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            throw new RuleViolation(
                    RejectReason.NON_FINITE,
                    field,
                    position + ": field '" + field + "' overflows a double: '" + quoted(text) + "'");
        }
        return value;
    }

    private static LocalDate date(String text, String position) {
        LocalDate iso = isoDate(text);
        if (iso != null) {
            return iso;
        }
        try {
            return LocalDate.parse(text, text.indexOf('/') >= 0 ? DAY_MONTH_YEAR : ISO_DATE);
        } catch (DateTimeException e) {
            throw new RuleViolation(
                    RejectReason.BAD_DATE,
                    DATE,
                    position + ": field 'date' '" + quoted(text) + "' is not a real date in yyyy-mm-dd or d/m/yyyy ("
                            + e.getMessage() + ")");
        }
    }

    /**
     * Whether {@code text} is a plain decimal, {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?} with ASCII digits: what
     * {@link Double#parseDouble} reads without its extras (hex, {@code NaN}, {@code Infinity}, type suffixes).
     * A hand-written scan: the same language as that regular expression, several times faster per field.
     */
    static boolean isDecimal(String text) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            intDigits++;
        }
        int fractionDigits = 0;
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                fractionDigits++;
            }
        }
        if (intDigits == 0 && fractionDigits == 0) {
            return false;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The common case of {@code yyyy-mm-dd} read without a formatter: null when {@code text} is not ten
     * characters of that shape or not a real date, so the formatter path reads it and words the error.
     */
    private static LocalDate isoDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** @return the number written by the ASCII digits text[from, to), or -1 when one is not a digit */
    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void notNegative(String field, double value, String position) {
        if (value < 0) {
            throw new RuleViolation(
                    RejectReason.BAD_NUMBER,
                    field,
                    position + ": field '" + field + "' must not be negative: " + value);
        }
    }

    private static void positive(String field, double value, String position) {
        if (value <= 0) {
            throw new RuleViolation(
                    RejectReason.NON_POSITIVE_PRICE,
                    field,
                    position + ": field '" + field + "' must be a positive price: " + value);
        }
    }

    private static void insideRange(String field, double value, double low, double high, String position) {
        if (value < low || value > high) {
            throw new RuleViolation(
                    RejectReason.PRICE_OUTSIDE_RANGE,
                    field,
                    position + ": field '" + field + "' " + value + " is outside [low, high] = [" + low + ", " + high
                            + "]");
        }
    }

    private static String quoted(String text) {
        return text.length() <= MAX_QUOTED_VALUE ? text : text.substring(0, MAX_QUOTED_VALUE) + "...";
    }

    /** A broken rule; control flow inside this class only, never thrown to callers. */
    private static final class RuleViolation extends RuntimeException {
        private final RejectReason reason;
        private final String field;

        RuleViolation(RejectReason reason, String field, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.field = field;
        }
    }
}

package io.pricecast.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.message.MessageParser;
import io.pricecast.input.validation.Fields;
import io.pricecast.input.validation.RecordValidator;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.schemas.RejectReason;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /predict}: {@code {"symbol": "BTC", "prices": [{"date", "open", "high", "low", "close",
 * "volume", "market"}, ...]}}, oldest day first, ending on the base day. Every day is checked by ingest's per-record
 * rules ({@link RecordValidator}, the same reason codes); the days must be in strictly increasing date order and
 * at least {@link #DAYS_NEEDED} (the model's window plus the day before it, for the first differences). Older days
 * are accepted and ignored: they cannot change the window.
 *
 * @param symbol the series
 * @param days   the last {@link #DAYS_NEEDED} days, oldest first
 * @param given  how many days the request carried
 */
record WindowRequest(String symbol, List<DailyPrice> days, int given) {

    /** Days one window needs: the window and the day before its first (first differences). */
    static final int DAYS_NEEDED = FeatureSpec.WINDOW_LENGTH + 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordValidator VALIDATOR = new RecordValidator();

    /** A request that cannot be answered: the reason code of ingest's rules (or one of this route's), and all refusals. */
    static final class Invalid extends Exception {
        private final String code;
        private final transient List<Rejection> rejections;

        Invalid(String code, String message, List<Rejection> rejections) {
            super(message, null, false, false);
            this.code = code;
            this.rejections = List.copyOf(rejections);
        }

        Invalid(String code, String message) {
            this(code, message, List.of());
        }

        String code() {
            return code;
        }

        List<Rejection> rejections() {
            return rejections;
        }
    }

    /**
     * @param body the request body
     * @return the request
     * @throws Invalid naming the field or the day and the reason
     */
    static WindowRequest parse(String body) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid("bad_json", "the body is not readable JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("bad_json", "the body must be a JSON object {\"symbol\": ..., \"prices\": [...]}");
        }
        JsonNode symbolNode = root.get(Fields.SYMBOL);
        if (symbolNode == null || !symbolNode.isTextual() || symbolNode.asText().isBlank()) {
            throw new Invalid(RejectReason.MISSING_FIELD.code(), "symbol: missing or not a text");
        }
        String symbol = symbolNode.asText().strip();
        JsonNode prices = root.get("prices");
        if (prices == null || !prices.isArray()) {
            throw new Invalid(RejectReason.MISSING_FIELD.code(), "prices: missing or not an array of days");
        }
        List<PriceRow> rows = new ArrayList<>(prices.size());
        List<Rejection> refused = new ArrayList<>();
        for (int i = 0; i < prices.size(); i++) {
            JsonNode day = prices.get(i);
            String position = "prices[" + i + "]";
            if (!day.isObject()) {
                refused.add(new Rejection(
                        i, RejectReason.MISSING_FIELD, "", position + ": not a JSON object", day.toString()));
                continue;
            }
            LineOutcome outcome = VALIDATOR.validate(
                    field -> Fields.SYMBOL.equals(field) ? symbol : MessageParser.text(day, field),
                    i,
                    position,
                    day::toString);
            if (outcome instanceof LineOutcome.Rejected r) {
                refused.add(r.rejection());
            } else {
                rows.add(((LineOutcome.Parsed) outcome).row());
            }
        }
        if (!refused.isEmpty()) {
            Rejection first = refused.get(0);
            throw new Invalid(
                    first.reason().code(),
                    refused.size() + " of " + prices.size() + " days refused; first: " + first.message(),
                    refused);
        }
        for (int i = 1; i < rows.size(); i++) {
            if (!rows.get(i).date().isAfter(rows.get(i - 1).date())) {
                throw new Invalid(
                        RejectReason.OUT_OF_ORDER.code(),
                        "prices[" + i + "] is dated " + rows.get(i).date() + ", not after prices[" + (i - 1) + "] ("
                                + rows.get(i - 1).date() + "); send one row per day, oldest first");
            }
        }
        if (rows.size() < DAYS_NEEDED) {
            throw new Invalid(
                    "too_few_days",
                    rows.size() + " days given; a forecast needs at least " + DAYS_NEEDED + " (the model's "
                            + FeatureSpec.WINDOW_LENGTH + "-day window plus the day before it), oldest first");
        }
        List<DailyPrice> days = new ArrayList<>(DAYS_NEEDED);
        for (PriceRow r : rows.subList(rows.size() - DAYS_NEEDED, rows.size())) {
            days.add(new DailyPrice(r.date(), r.open(), r.high(), r.low(), r.close(), r.volume(), r.market()));
        }
        return new WindowRequest(symbol, List.copyOf(days), rows.size());
    }

    /** @return the base day (the newest) */
    DailyPrice base() {
        return days.get(days.size() - 1);
    }
}

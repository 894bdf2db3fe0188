package io.pricecast.input.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.input.LineOutcome;
import io.pricecast.input.Rejection;
import io.pricecast.input.csv.Layout;
import io.pricecast.input.csv.ReadLimits;
import io.pricecast.input.validation.Fields;
import io.pricecast.input.validation.RecordValidator;
import io.pricecast.schemas.RejectReason;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one console-producer message: a JSON object with fields {@code symbol, date, open, high, low,
 * close, volume, market} and optionally {@code dataset, slug, name} (other fields are ignored), or a
 * CSV line in the short order {@code symbol,date,open,high,low,close,volume,market} with an optional
 * trailing {@code slug}. The per-record rules are those of files (one {@link RecordValidator}).
 *
 * <p>Thread-safe.
 */
public final class MessageParser {

    /** A CSV message's fields: the short order, then the optional slug. */
    private static final Layout CSV_MESSAGE = Layout.SHORT_WITH_SLUG;

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final RecordValidator VALIDATOR = new RecordValidator();

    private final ObjectMapper json = new ObjectMapper();
    private final ReadLimits limits;

    public MessageParser(ReadLimits limits) {
        this.limits = limits;
    }

    public MessageParser() {
        this(ReadLimits.DEFAULTS);
    }

    /**
     * Parses and checks one message.
     *
     * @param text the message value
     * @param offset the message's offset (e.g. in {@code prices.raw}), kept as the row's line
     */
    public ParsedMessage parseMessage(String text, long offset) {
        String position = "offset " + offset;
        String body = text == null ? "" : stripByteOrderMark(text).strip();
        if (body.length() > limits.maxLineLength()) {
            return rejected(
                    offset,
                    RejectReason.LINE_TOO_LONG,
                    "",
                    position + ": message is longer than " + limits.maxLineLength() + " characters; not parsed",
                    "");
        }
        return body.startsWith("{") ? parseJson(body, offset, position) : parseCsv(body, offset, position);
    }

    private ParsedMessage parseJson(String body, long offset, String position) {
        JsonNode object;
        try {
            object = json.readTree(body);
        } catch (JsonProcessingException e) {
            return rejected(
                    offset,
                    RejectReason.MISSING_FIELD,
                    "",
                    position + ": not a readable JSON object, so no field can be found (" + e.getOriginalMessage()
                            + ")",
                    body);
        }
        if (!object.isObject()) {
            return rejected(offset, RejectReason.MISSING_FIELD, "", position + ": not a JSON object", body);
        }
        Optional<String> dataset = Optional.ofNullable(text(object, Fields.DATASET))
                .map(String::strip)
                .filter(name -> !name.isEmpty());
        return new ParsedMessage(
                dataset, VALIDATOR.validate(field -> text(object, field), offset, position, () -> body));
    }

    /**
     * A field of a JSON record as the validator reads it: a value's text, another node's JSON, null when absent or null.
     *
     * @param object the record
     * @param field the field's name
     */
    public static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private ParsedMessage parseCsv(String body, long offset, String position) {
        List<CSVRecord> records;
        try (CSVParser parser = FORMAT.parse(new StringReader(body))) {
            records = parser.getRecords();
        } catch (IOException | UncheckedIOException e) {
            return rejected(
                    offset,
                    RejectReason.MISSING_FIELD,
                    "",
                    position + ": not a readable CSV line, so no field can be found (" + e.getMessage() + ")",
                    body);
        }
        if (records.isEmpty()) {
            return rejected(offset, RejectReason.MISSING_FIELD, Fields.SYMBOL, position + ": message is empty", body);
        }
        if (records.size() > 1) {
            return rejected(
                    offset,
                    RejectReason.TOO_MANY_FIELDS,
                    "",
                    position + ": message holds " + records.size() + " records; send one record per message",
                    body);
        }
        CSVRecord record = records.get(0);
        List<String> columns = CSV_MESSAGE.columns();
        if (record.size() > columns.size()) {
            return rejected(
                    offset,
                    RejectReason.TOO_MANY_FIELDS,
                    "",
                    position + ": " + record.size() + " fields, a CSV message has at most " + columns.size() + " ("
                            + String.join(",", columns) + ")",
                    body);
        }
        return new ParsedMessage(
                Optional.empty(), VALIDATOR.validate(CSV_MESSAGE.fieldsOf(record), offset, position, () -> body));
    }

    private static ParsedMessage rejected(long offset, RejectReason reason, String field, String message, String body) {
        return new ParsedMessage(
                Optional.empty(), new LineOutcome.Rejected(new Rejection(offset, reason, field, message, body)));
    }

    private static String stripByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }
}

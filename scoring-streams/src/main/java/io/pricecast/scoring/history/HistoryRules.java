package io.pricecast.scoring.history;

import io.pricecast.model.features.DailyPrice;
import io.pricecast.schemas.RejectReason;
import io.pricecast.scoring.state.SeriesWindow;
import io.pricecast.scoring.state.WindowEntry;
import java.time.LocalDate;

/**
 * The rules that judge a record against its series' history, written once: every record of a series, from an upload
 * or the console, passes here, in the order of its partition, against the series' newest stored day, inside the
 * exactly-once transaction that also stores the advanced series (docs/ingest-rules.md, "History rules").
 *
 * <ul>
 *   <li>a day after the newest: accepted;</li>
 *   <li>the newest day again with the same open, high, low, close, volume and market: a duplicate, counted and
 *       not stored or published again;</li>
 *   <li>the newest day with other numbers: {@code conflicting_duplicate} (a correction is never applied silently);</li>
 *   <li>an older day: {@code out_of_order}.</li>
 * </ul>
 */
public final class HistoryRules {

    private HistoryRules() {}

    /** What the rules make of a record. */
    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        REJECTED
    }

    /**
     * @param outcome the outcome
     * @param reason  the reason code ({@link RejectReason#code()}) of a duplicate or a rejection, null when accepted
     * @param message why, naming the day and the stored record it was compared with (null when accepted)
     */
    public record Verdict(Outcome outcome, String reason, String message) {
        static final Verdict ACCEPT = new Verdict(Outcome.ACCEPTED, null, null);
    }

    /**
     * @param window the series' newest records (empty for a new series)
     * @param day    the record's prices
     * @param series the series id, for the message
     * @return the verdict
     */
    public static Verdict judge(SeriesWindow window, DailyPrice day, String series) {
        LocalDate newest = window.newestDate();
        if (newest == null || day.date().isAfter(newest)) {
            return Verdict.ACCEPT;
        }
        WindowEntry stored = window.newest();
        String where = stored.topic() + "-" + stored.partition() + "@" + stored.offset();
        if (day.date().isBefore(newest)) {
            return new Verdict(
                    Outcome.REJECTED,
                    RejectReason.OUT_OF_ORDER.code(),
                    "series " + series + " day " + day.date() + " is older than " + newest
                            + ", the newest day the series already has");
        }
        if (day.equals(stored.price())) {
            return new Verdict(
                    Outcome.DUPLICATE,
                    RejectReason.DUPLICATE.code(),
                    "series " + series + " day " + day.date() + " repeats the stored day read from " + where);
        }
        return new Verdict(
                Outcome.REJECTED,
                RejectReason.CONFLICTING_DUPLICATE.code(),
                "series " + series + " day " + day.date()
                        + " differs from the values the series already has for that day (read from " + where + ", open "
                        + stored.price().open() + " there, " + day.open() + " here)");
    }
}

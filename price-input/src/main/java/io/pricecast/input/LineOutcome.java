package io.pricecast.input;

/** What reading one record gave: a row that passed the per-record rules, or a rejection. */
public sealed interface LineOutcome {

    /** The file line (or message offset) of the record. */
    long line();

    /** A record that passed every rule that can be checked on the record alone. */
    record Parsed(PriceRow row) implements LineOutcome {
        @Override
        public long line() {
            return row.line();
        }
    }

    /** A refused record. */
    record Rejected(Rejection rejection) implements LineOutcome {
        @Override
        public long line() {
            return rejection.line();
        }
    }
}

package io.pricecast.input.batch;

import java.util.List;

/** The end of a cleaned batch: its counts and any tickers shared by several coins. */
public record CleanReport(OutcomeCounts counts, List<SharedTicker> sharedTickers) {

    public CleanReport {
        sharedTickers = List.copyOf(sharedTickers);
    }
}

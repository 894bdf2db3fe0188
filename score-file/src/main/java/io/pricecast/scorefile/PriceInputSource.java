package io.pricecast.scorefile;

import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.batch.BatchOutcomes;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.model.features.DailyPrice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a price file with the shared {@code price-input} library: every accepted layout, the same
 * validation and batch rules as the ingest service (rows in any order, duplicates, shared tickers).
 * Accepted rows reach the listener in series-then-date order; exact duplicates are left out (they are
 * repeats of an accepted row); every rejection is reported with its line and reason.
 */
public final class PriceInputSource implements PriceFileSource {

    @Override
    public void read(Path file, PriceRowListener listener) throws IOException {
        try (PriceCsvReader reader = PriceCsvReader.open(file)) {
            BatchCleaner.offline().clean(reader, new BatchOutcomes() {
                @Override
                public void accepted(SeriesKey series, PriceRow r) {
                    listener.onRow(
                            r.line(),
                            series.id(),
                            new DailyPrice(r.date(), r.open(), r.high(), r.low(), r.close(), r.volume(), r.market()));
                }

                @Override
                public void duplicate(SeriesKey series, PriceRow r) {
                    listener.onDuplicate(r.line(), series.id());
                }

                @Override
                public void rejected(Rejection rejection) {
                    listener.onInvalid(rejection.line(), rejection.reason().code() + ": " + rejection.message());
                }
            });
        }
    }
}

package io.pricecast.sink.consume;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import io.pricecast.sink.cql.PriceWrites;
import java.util.List;

/** Accepted prices: ingest validated them, scoring accepted them; the sink re-checks what its tables and the export rely on. */
public final class PriceHandler implements RecordHandler<PriceRecord> {

    private final PriceWrites writes;

    /** @param writes the prepared upserts */
    public PriceHandler(PriceWrites writes) {
        this.writes = writes;
    }

    @Override
    public List<CqlWrite> writes(PriceRecord p, KafkaPosition position) throws InvalidRecordException {
        Checks.text(p.getDataset(), "dataset");
        Checks.text(p.getSymbol(), "symbol");
        Checks.present(p.getDate(), "date");
        Checks.positive(p.getOpen(), "open");
        Checks.positive(p.getHigh(), "high");
        Checks.positive(p.getLow(), "low");
        Checks.positive(p.getClose(), "close");
        Checks.finite(p.getVolume(), "volume");
        Checks.finite(p.getMarket(), "market");
        return writes.writes(p, position);
    }

    @Override
    public String dataset(PriceRecord p) {
        return p.getDataset();
    }

    @Override
    public String symbol(PriceRecord p) {
        return p.getSymbol();
    }

    @Override
    public RecordSource source(PriceRecord p) {
        return p.getSource();
    }
}

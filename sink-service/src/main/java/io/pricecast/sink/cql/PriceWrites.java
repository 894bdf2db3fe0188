package io.pricecast.sink.cql;

import static io.pricecast.sink.cql.Bindings.bigint;
import static io.pricecast.sink.cql.Bindings.integer;
import static io.pricecast.sink.cql.Bindings.text;
import static io.pricecast.sink.cql.Bindings.timestamp;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.PriceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The upserts of one {@code PriceRecord}: its row in {@code prices_by_series} (and its series in the catalogue). */
public final class PriceWrites {

    private final PreparedStatement insert;
    private final SymbolCatalog symbols;
    private final String sinkVersion;

    /**
     * @param session     the session
     * @param keyspace    keyspace
     * @param symbols     the symbol catalogue
     * @param sinkVersion code version stamped on every row
     */
    public PriceWrites(CqlSession session, String keyspace, SymbolCatalog symbols, String sinkVersion) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.PRICES_BY_SERIES
                + " (dataset, symbol, date, open, high, low, close, volume, market, slug, name, source, upload_id,"
                + " file_line, file_sha256, raw_topic, raw_partition, raw_offset, ingest_version, received_at,"
                + " kafka_topic, kafka_partition, kafka_offset, sink_version, written_at) VALUES (:dataset, :symbol,"
                + " :date, :open, :high, :low, :close, :volume, :market, :slug, :name, :source, :upload_id, :file_line,"
                + " :file_sha256, :raw_topic, :raw_partition, :raw_offset, :ingest_version, :received_at, :kafka_topic,"
                + " :kafka_partition, :kafka_offset, :sink_version, :written_at)");
        this.symbols = symbols;
        this.sinkVersion = sinkVersion;
    }

    /**
     * @param p        the record
     * @param position where it was read
     * @return its upserts
     */
    public List<CqlWrite> writes(PriceRecord p, KafkaPosition position) {
        BoundStatementBuilder b = insert.boundStatementBuilder()
                .setString("dataset", p.getDataset())
                .setString("symbol", p.getSymbol())
                .setLocalDate("date", p.getDate())
                .setDouble("open", p.getOpen())
                .setDouble("high", p.getHigh())
                .setDouble("low", p.getLow())
                .setDouble("close", p.getClose())
                .setDouble("volume", p.getVolume())
                .setDouble("market", p.getMarket())
                .setString("source", p.getSource().name())
                .setString("ingest_version", p.getIngestVersion())
                .setString("sink_version", sinkVersion)
                .setInstant("written_at", Instant.now());
        text(b, "slug", p.getSlug());
        text(b, "name", p.getName());
        text(b, "upload_id", p.getUploadId());
        bigint(b, "file_line", p.getFileLine());
        text(b, "file_sha256", p.getFileSha256());
        text(b, "raw_topic", p.getRawTopic());
        integer(b, "raw_partition", p.getRawPartition());
        bigint(b, "raw_offset", p.getRawOffset());
        timestamp(b, "received_at", p.getReceivedAt());
        Bindings.position(b, position);
        List<CqlWrite> writes = new ArrayList<>(2);
        writes.add(new CqlWrite(SinkTables.PRICES_BY_SERIES, b.setIdempotence(true).build()));
        symbols.upsertIfNew(p.getDataset(), p.getSymbol())
                .ifPresent(s -> writes.add(new CqlWrite(SinkTables.SYMBOLS_BY_DATASET, s)));
        return writes;
    }
}

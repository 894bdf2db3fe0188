package io.pricecast.ingest.publish;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The two value serializers ingest needs, from the one serde factory. Producers carry bytes, so one
 * transactional producer writes both topics in the same transaction.
 *
 * @param clean    {@code PriceRecord} values
 * @param rejected {@code RejectedRecord} values
 */
public record ValueSerializers(Serializer<PriceRecord> clean, Serializer<RejectedRecord> rejected)
        implements AutoCloseable {

    /**
     * @return serializers configured by the factory (Confluent wire format, registry-resolved ids), the id
     *     resolved once ({@link AvroSerdes#idCachingSerde})
     */
    public static ValueSerializers of(AvroSerdes serdes) {
        return new ValueSerializers(
                serdes.idCachingSerde(PriceRecord.class, false).serializer(),
                serdes.idCachingSerde(RejectedRecord.class, false).serializer());
    }

    @Override
    public void close() {
        clean.close();
        rejected.close();
    }
}

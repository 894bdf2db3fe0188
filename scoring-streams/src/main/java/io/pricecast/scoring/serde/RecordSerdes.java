package io.pricecast.scoring.serde;

import io.pricecast.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the Avro value serdes of the topology. In production {@link #of} (the project's registry serdes,
 * Confluent wire format); TopologyTestDriver tests may plug in a registry-free serde.
 */
@FunctionalInterface
public interface RecordSerdes {

    <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey);

    /**
     * The registry serdes of {@code factory} ({@link AvroSerdes#idCachingSerde}: the schema id resolved once), with
     * Apicurio's datum provider replaced by {@link SchemaIdentityDatumProvider} so that a record costs no schema
     * fingerprinting.
     */
    static RecordSerdes of(AvroSerdes factory) {
        return factory.withDatumProvider(SchemaIdentityDatumProvider.class.getName())::idCachingSerde;
    }
}

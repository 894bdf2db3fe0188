package io.pricecast.scoring.serde;

import io.pricecast.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the Avro value serdes of the topology. In production {@link RegistrySerdes} (the project's registry
 * serdes, Confluent wire format); TopologyTestDriver tests may plug in a registry-free serde.
 */
@FunctionalInterface
public interface RecordSerdes {

    <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey);

    /** The registry-backed serdes of {@code factory}. */
    static RecordSerdes of(AvroSerdes factory) {
        return new RegistrySerdes(factory);
    }
}

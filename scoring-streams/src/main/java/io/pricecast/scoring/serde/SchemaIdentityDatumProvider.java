package io.pricecast.scoring.serde;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Apicurio's default datum provider, with its writers and readers cached by schema <em>instance</em>. The default
 * provider computes the schema's parsing fingerprint on every record to find its cached writer or reader; for the
 * 23-field {@code Prediction} schema that costs more than encoding the record. Generated classes always hand over
 * the same schema instance and the registry client caches parsed schemas per id, so an identity lookup finds
 * them; anything else falls through to the default (fingerprinted) path.
 *
 * @param <T> record type
 */
public final class SchemaIdentityDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    /** Distinct schema instances kept; more means schemas are not being reused, and the cache starts over. */
    static final int MAX_ENTRIES = 256;

    private final Map<IdentityKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<IdentityKey, DatumReader<T>> readers = new ConcurrentHashMap<>();

    public SchemaIdentityDatumProvider() {
        super();
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        IdentityKey key = new IdentityKey(schema);
        DatumWriter<T> writer = writers.get(key);
        if (writer == null) {
            writer = super.createDatumWriter(data, schema);
            bound(writers).put(key, writer);
        }
        return writer;
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        IdentityKey key = new IdentityKey(schema);
        DatumReader<T> reader = readers.get(key);
        if (reader == null) {
            reader = super.createDatumReader(schema);
            bound(readers).put(key, reader);
        }
        return reader;
    }

    private static <V> Map<IdentityKey, V> bound(Map<IdentityKey, V> cache) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        return cache;
    }

    /** A schema compared by identity. */
    private record IdentityKey(Schema schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey k && k.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }
}

package io.pricecast.scoring.serde;

import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.schemas.serde.SchemaIdCachingSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The project's registry serdes ({@link AvroSerdes}: same classes, same configuration, same wire format), with
 * Apicurio's datum provider replaced by {@link SchemaIdentityDatumProvider} so that a record costs no schema
 * fingerprinting, and every serializer wrapped in {@link SchemaIdCachingSerializer} (the schema id resolved by
 * the first record, later records encoded straight into a reused buffer). With another serde kind only the
 * serializers are wrapped.
 */
public final class RegistrySerdes implements RecordSerdes {

    /** Apicurio's setting naming the datum provider class. */
    static final String DATUM_PROVIDER = "apicurio.registry.avro-datum-provider";
    private static final String APICURIO_PREFIX = "io.apicurio.";

    private final AvroSerdes factory;

    public RegistrySerdes(AvroSerdes factory) {
        this.factory = factory;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
        if (!factory.serializerClass().startsWith(APICURIO_PREFIX)) {
            Serde<T> plain = factory.serde(type, isKey);
            return Serdes.serdeFrom(new SchemaIdCachingSerializer<>(plain.serializer(), type), plain.deserializer());
        }
        Map<String, Object> configs = new HashMap<>(factory.configs(type, isKey));
        configs.put(DATUM_PROVIDER, SchemaIdentityDatumProvider.class.getName());
        Serializer<T> serializer = instantiate(factory.serializerClass());
        Deserializer<T> deserializer = instantiate(factory.deserializerClass());
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
        return Serdes.serdeFrom(new SchemaIdCachingSerializer<>(serializer, type), deserializer);
    }

    @SuppressWarnings("unchecked")
    private static <S> S instantiate(String className) {
        try {
            return (S) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("serde class " + className + " is not on the classpath", e);
        }
    }
}

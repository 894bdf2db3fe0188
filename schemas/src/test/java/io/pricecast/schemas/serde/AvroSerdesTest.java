package io.pricecast.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.Prediction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    private static final String PROVIDER = "com.example.CachingDatumProvider";

    @Test
    void apicurioConfigsNameTheRegistryAndNoDatumProviderByDefault() {
        Map<String, Object> configs =
                new AvroSerdes(AvroSerdes.Kind.APICURIO, "http://registry:8081/").configs(Prediction.class, false);

        assertThat(configs)
                .containsEntry("apicurio.registry.url", "http://registry:8081/apis/registry/v3")
                .containsEntry("apicurio.registry.artifact.artifact-id", Prediction.class.getName())
                .containsEntry("pricecast.serde.is-key", false)
                .doesNotContainKey(AvroSerdes.APICURIO_DATUM_PROVIDER);
    }

    @Test
    void aDatumProviderIsAddedToApicurioConfigsOnly() {
        AvroSerdes apicurio = new AvroSerdes(AvroSerdes.Kind.APICURIO, "http://registry:8081");
        AvroSerdes confluent = new AvroSerdes(AvroSerdes.Kind.CONFLUENT, "http://registry:8081");

        Map<String, Object> withProvider = apicurio.withDatumProvider(PROVIDER).configs(Prediction.class, false);

        Map<String, Object> expected = new java.util.HashMap<>(apicurio.configs(Prediction.class, false));
        expected.put(AvroSerdes.APICURIO_DATUM_PROVIDER, PROVIDER);
        assertThat(withProvider).isEqualTo(expected);
        assertThat(confluent.withDatumProvider(PROVIDER).configs(Prediction.class, true))
                .isEqualTo(confluent.configs(Prediction.class, true));
        assertThat(apicurio.withDatumProvider(PROVIDER).registryBaseUrl()).isEqualTo("http://registry:8081");
        assertThat(apicurio.withDatumProvider(PROVIDER).serializerClass()).isEqualTo(AvroSerdes.APICURIO_SERIALIZER);
    }

    @Test
    void theIdCachingSerdeWrapsTheFactorysSerializer() {
        AvroSerdes apicurio = new AvroSerdes(AvroSerdes.Kind.APICURIO, "http://127.0.0.1:9");

        assertThat(apicurio.idCachingSerde(Prediction.class, false).serializer())
                .isInstanceOf(SchemaIdCachingSerializer.class);
        assertThat(apicurio.idCachingSerde(Prediction.class, false)
                        .deserializer()
                        .getClass()
                        .getName())
                .isEqualTo(AvroSerdes.APICURIO_DESERIALIZER);
    }
}

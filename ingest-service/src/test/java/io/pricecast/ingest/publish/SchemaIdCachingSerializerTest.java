package io.pricecast.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStack.class)
class SchemaIdCachingSerializerTest {

    private static final String TOPIC = "any-topic";

    @Test
    void writesTheSameBytesAsTheFactorySerializerAndReadsBack(StackEndpoints stack) {
        Serializer<PriceRecord> factory =
                stack.serdes().serde(PriceRecord.class, false).serializer();
        Serializer<PriceRecord> cached = ValueSerializers.of(stack.serdes()).clean();
        Deserializer<PriceRecord> reader =
                stack.serdes().serde(PriceRecord.class, false).deserializer();
        PriceRecord first = record("BTC", 100.5, "bitcoin");
        PriceRecord second = record("LTC", 3.25, null);

        assertThat(cached.serialize(TOPIC, first)).isEqualTo(factory.serialize(TOPIC, first));
        byte[] fast = cached.serialize(TOPIC, second);
        assertThat(fast).isEqualTo(factory.serialize(TOPIC, second));
        assertThat(reader.deserialize(TOPIC, fast)).isEqualTo(second);
    }

    @Test
    void encodesRejectedRecordsInTheWireFormatToo(StackEndpoints stack) {
        Serializer<RejectedRecord> factory =
                stack.serdes().serde(RejectedRecord.class, false).serializer();
        Serializer<RejectedRecord> cached = ValueSerializers.of(stack.serdes()).rejected();
        RejectedRecord a = new RejectedRecord(
                "live",
                null,
                null,
                "ingest",
                "bad_number",
                "open",
                "offset 3: open",
                "x",
                RecordSource.CONSOLE,
                null,
                null,
                "prices.raw",
                0,
                3L,
                "v",
                Instant.ofEpochMilli(1));
        cached.serialize(TOPIC, a);
        assertThat(cached.serialize(TOPIC, a)).isEqualTo(factory.serialize(TOPIC, a));
    }

    private static PriceRecord record(String symbol, double open, String slug) {
        return new PriceRecord(
                "d",
                symbol,
                slug,
                null,
                LocalDate.of(2020, 1, 2),
                open,
                open * 2,
                open / 2,
                open,
                0.0,
                0.0,
                RecordSource.UPLOAD,
                "u",
                2L,
                "sha",
                null,
                null,
                null,
                "v",
                Instant.ofEpochMilli(1_600_000_000_000L));
    }
}

package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.schemas.console.AvroJsonFormatter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console consumer's formatter prints our Avro records as readable JSON with their position. */
@ExtendWith(RealStack.class)
class ConsoleToolsTest {

    @Test
    void formatterPrintsAvroAsJsonWithTopicPartitionOffsetAndLineage(StackEndpoints stack) {
        PriceRecord record = PriceRecord.newBuilder()
                .setDataset("live")
                .setSymbol("LTC")
                .setDate(LocalDate.of(2018, 1, 2))
                .setOpen(231.7)
                .setHigh(258.4)
                .setLow(226.0)
                .setClose(255.0)
                .setVolume(1.0)
                .setMarket(2.0)
                .setSource(RecordSource.UPLOAD)
                .setUploadId("u-1")
                .setFileLine(17L)
                .setFileSha256("ab12")
                .setIngestVersion("abc1234")
                .setReceivedAt(Instant.parse("2018-01-03T00:00:00Z"))
                .build();
        byte[] bytes;
        try (Serde<PriceRecord> serde = stack.serdes().serde(PriceRecord.class, false)) {
            bytes = serde.serializer().serialize("prices.clean", record);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AvroJsonFormatter formatter = new AvroJsonFormatter()) {
            formatter.configure(Map.of(AvroJsonFormatter.REGISTRY_URL_PROPERTY, stack.registryUrl()));
            formatter.writeTo(
                    new ConsumerRecord<>("prices.clean", 2, 41L, "live|LTC".getBytes(StandardCharsets.UTF_8), bytes),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            formatter.writeTo(
                    new ConsumerRecord<>(
                            "prices.raw", 0, 7L, null, "LTC,2018-01-02,1,2,1,2,3,4".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0])
                .startsWith(
                        "{\"topic\":\"prices.clean\",\"partition\":2,\"offset\":41,\"key\":\"live|LTC\",\"value\":{")
                .contains("\"symbol\": \"LTC\"")
                .contains("\"upload_id\": \"u-1\"")
                .contains("\"file_line\": 17");
        assertThat(lines[1])
                .isEqualTo("{\"topic\":\"prices.raw\",\"partition\":0,\"offset\":7,\"key\":null,"
                        + "\"value\":\"LTC,2018-01-02,1,2,1,2,3,4\"}");
    }
}

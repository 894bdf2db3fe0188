package io.pricecast.scoring.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.schemas.RejectReason;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class OutputRecordsTest {

    private static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");
    private static final RecordMetadata POSITION = new RecordMetadata() {
        @Override
        public String topic() {
            return "prices.clean";
        }

        @Override
        public int partition() {
            return 3;
        }

        @Override
        public long offset() {
            return 7;
        }
    };

    private static RejectedRecord unreadable(String key, byte[] value) {
        return new OutputRecords("code")
                .unreadable(key, value, POSITION, RejectReason.UNREADABLE_RECORD.code(), "bad", AT);
    }

    @Test
    void anUnreadableRecordsDatasetAndSymbolComeFromItsSeriesKey() {
        RejectedRecord rejection = unreadable("crypto|BITS@bitstar", new byte[] {1, 2, 3});

        assertThat(rejection.getDataset()).isEqualTo("crypto");
        assertThat(rejection.getSymbol()).isEqualTo("BITS@bitstar");
        assertThat(rejection.getStage()).isEqualTo(OutputRecords.STAGE);
        assertThat(rejection.getReason()).isEqualTo(RejectReason.UNREADABLE_RECORD.code());
        assertThat(rejection.getMessage()).isEqualTo("bad (prices.clean-3@7)");
        assertThat(rejection.getRaw()).isEqualTo("base64:AQID");
        assertThat(rejection.getSource()).isEqualTo(RecordSource.CONSOLE);
        assertThat(rejection.getCodeVersion()).isEqualTo("code");
    }

    @Test
    void aKeyWithoutSeparatorOrNoKeyGivesAnEmptyDatasetAndNoSymbol() {
        assertThat(unreadable("crypto", null).getDataset()).isEmpty();
        assertThat(unreadable("crypto", null).getSymbol()).isNull();
        assertThat(unreadable(null, null).getDataset()).isEmpty();
        assertThat(unreadable(null, null).getSymbol()).isNull();
        assertThat(unreadable(null, null).getRaw()).isNull();
    }

    @Test
    void aKeyWithAnEmptyPartKeepsIt() {
        assertThat(unreadable("crypto|", null).getDataset()).isEqualTo("crypto");
        assertThat(unreadable("crypto|", null).getSymbol()).isEmpty();
        assertThat(unreadable("|BTC", null).getDataset()).isEmpty();
        assertThat(unreadable("|BTC", null).getSymbol()).isEqualTo("BTC");
    }

    @Test
    void rawBytesAreTruncated() {
        byte[] big = new byte[OutputRecords.MAX_RAW_BYTES + 10];

        String raw = unreadable("d|s", big).getRaw();

        assertThat(raw).startsWith("base64:");
        assertThat(java.util.Base64.getDecoder().decode(raw.substring("base64:".length())))
                .hasSize(OutputRecords.MAX_RAW_BYTES);
    }
}

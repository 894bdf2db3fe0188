package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Binds nullable values: a null leaves the column unset (no tombstone is written), so optional
 * lineage fields of an upsert cost nothing when absent.
 */
final class Bindings {

    private Bindings() {}

    static BoundStatementBuilder text(BoundStatementBuilder b, String name, String value) {
        return value == null ? b : b.setString(name, value);
    }

    static BoundStatementBuilder bigint(BoundStatementBuilder b, String name, Long value) {
        return value == null ? b : b.setLong(name, value);
    }

    static BoundStatementBuilder integer(BoundStatementBuilder b, String name, Integer value) {
        return value == null ? b : b.setInt(name, value);
    }

    static BoundStatementBuilder date(BoundStatementBuilder b, String name, LocalDate value) {
        return value == null ? b : b.setLocalDate(name, value);
    }

    static BoundStatementBuilder timestamp(BoundStatementBuilder b, String name, Instant value) {
        return value == null ? b : b.setInstant(name, value);
    }

    static BoundStatementBuilder position(BoundStatementBuilder b, KafkaPosition position) {
        return b.setString("kafka_topic", position.topic())
                .setInt("kafka_partition", position.partition())
                .setLong("kafka_offset", position.offset());
    }
}

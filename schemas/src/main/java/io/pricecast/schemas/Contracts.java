package io.pricecast.schemas;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.avro.UploadVerdicts;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Which Avro schema is the value of which topic.
 *
 * <p>Each contract has two registry subjects with the same versions: the topic's, {@code <topic>-value}
 * (the default {@code TopicNameStrategy}, where Kafka Connect, ksqlDB and Flink look a topic's schema up),
 * and the record's ({@code io.pricecast.avro.PriceRecord}, Confluent's {@code RecordNameStrategy}), through
 * which the services' serdes find the schema for every topic that carries the record: replays into a new
 * topic, per-test topics, a rescoring topic. Both give the same content id, the id on the wire.
 */
public final class Contracts {

    /** Every topic whose values are Avro, with its schema. */
    public static final List<Contract> ALL = List.of(
            new Contract(Topics.PRICES_CLEAN, PriceRecord.getClassSchema()),
            new Contract(Topics.PRICES_ACCEPTED, PriceRecord.getClassSchema()),
            new Contract(Topics.PRICES_REJECTED, RejectedRecord.getClassSchema()),
            new Contract(Topics.PREDICTIONS, Prediction.getClassSchema()),
            new Contract(Topics.ACCURACY, Accuracy.getClassSchema()),
            new Contract(Topics.UPLOAD_VERDICTS, UploadVerdicts.getClassSchema()),
            new Contract(Topics.MODELS, ModelEvent.getClassSchema()));

    private Contracts() {}

    /**
     * A topic's value schema.
     *
     * @param topic  the topic
     * @param schema its value schema
     */
    public record Contract(Topics.Topic topic, Schema schema) {
        /** @return the registry subject: the record's full name */
        public String subject() {
            return schema.getFullName();
        }

        /** @return the topic's registry subject, {@code <topic>-value} (the default {@code TopicNameStrategy}) */
        public String topicSubject() {
            return topic.name() + "-value";
        }
    }
}

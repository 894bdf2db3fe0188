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
 * <p>Registry subjects are named after the record (Confluent's {@code RecordNameStrategy}:
 * {@code io.pricecast.avro.PriceRecord}), not after the topic, so the same contract serves every topic
 * that carries it: replays into a new topic, per-test topics, a rescoring topic.
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
    }
}

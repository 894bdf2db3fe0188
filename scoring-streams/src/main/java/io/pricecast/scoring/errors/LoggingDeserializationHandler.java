package io.pricecast.scoring.errors;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For records Streams itself cannot deserialize: price values are read as bytes and decoded by the scorer,
 * which routes unreadable ones to the rejected topic, so this handler only meets unreadable keys and unreadable
 * events on the {@code models} topic. It logs topic, partition and offset and skips the record (counted by
 * Streams' {@code dropped-records-total}); a skipped model event leaves the previous model active.
 */
public final class LoggingDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingDeserializationHandler.class);

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error(
                "skipping an unreadable record at {}-{}@{} (task {}, node {})",
                record.topic(),
                record.partition(),
                record.offset(),
                context.taskId(),
                context.processorNodeId(),
                exception);
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}

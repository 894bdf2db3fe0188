package io.pricecast.scoring.errors;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures writing an output record. Every failure is logged with the input record's topic, partition and
 * offset and the output topic. A record that can never be written (it cannot be serialized, or is larger than
 * the broker accepts) is skipped, so one poison output cannot stop the application forever (Streams counts it
 * in {@code dropped-records-total}); any other failure fails the task, which under exactly-once aborts the
 * transaction and reprocesses from the last commit, losing nothing.
 */
public final class LoggingProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingProductionHandler.class);

    @Override
    public ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            LOG.error(
                    "skipping an output record to {} that is too large, from input {}-{}@{}",
                    record.topic(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
        LOG.error(
                "cannot write an output record to {} from input {}-{}@{}; failing the task to retry from the last commit",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        LOG.error(
                "skipping an output record to {} whose {} cannot be serialized, from input {}-{}@{}",
                record.topic(),
                origin,
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return ProductionExceptionHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}

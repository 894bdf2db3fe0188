package io.pricecast.ingest.upload;

import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.ingest.publish.ValueSerializers;
import io.pricecast.runtime.KafkaAccess;
import java.nio.file.Path;

/**
 * What publishing an upload needs from the service, shared by every upload.
 *
 * @param config          the configuration
 * @param kafka           the brokers and their security (SASL) settings
 * @param serializers     Avro value serializers
 * @param store           the uploads tables
 * @param progress        committed progress per upload (in Kafka)
 * @param verdicts        how scoring judged each upload's records (the sink's {@code upload_verdicts})
 * @param producers       the upload workers' transactional producers
 * @param spillDirectory  where large uploads spill sorted runs
 * @param version         ingest code version
 * @param metrics         counters
 */
public record UploadContext(
        IngestConfig config,
        KafkaAccess kafka,
        ValueSerializers serializers,
        UploadStore store,
        UploadProgress progress,
        UploadVerdictsView verdicts,
        UploadProducers producers,
        Path spillDirectory,
        String version,
        IngestMeters metrics) {}

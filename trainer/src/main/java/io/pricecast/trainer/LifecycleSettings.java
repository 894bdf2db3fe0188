package io.pricecast.trainer;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.avro.ModelEvent;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.trainer.registry.ModelRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * Where the lifecycle commands and the models service find the stack, from the same environment variables as
 * every service ({@code PRICECAST_KAFKA_BOOTSTRAP}, {@code PRICECAST_REGISTRY_URL},
 * {@code PRICECAST_CASSANDRA_CONTACT}, {@code PRICECAST_KEYSPACE}) plus {@code PRICECAST_MODELS_TOPIC}
 * (default {@code models}) and the models service's own port {@code PRICECAST_MODELS_PORT} (default 8085).
 */
public record LifecycleSettings(ServiceSettings service, String modelsTopic) {

    public static final String PORT_VARIABLE = "PRICECAST_MODELS_PORT";
    public static final int DEFAULT_PORT = 8085;

    public static LifecycleSettings fromEnvironment(Map<String, String> env) {
        ServiceSettings service = ServiceSettings.fromEnvironment(env, PORT_VARIABLE, DEFAULT_PORT, "models");
        return new LifecycleSettings(service, service.get("PRICECAST_MODELS_TOPIC", Topics.MODELS.name()));
    }

    /** A registry client on the configured models topic (the caller closes it). */
    public ModelRegistry registry() {
        AvroSerdes serdes = service.serdes();
        return new ModelRegistry(
                service.kafka(), modelsTopic, serdes.serde(ModelEvent.class, false), Clock.systemUTC());
    }

    /** A CQL session (the caller closes it). */
    public CqlSession cql() {
        return CqlSessions.open(service);
    }

    public String keyspace() {
        return service.keyspace();
    }
}

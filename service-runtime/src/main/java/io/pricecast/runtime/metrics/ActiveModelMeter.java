package io.pricecast.runtime.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code pricecast_model_active{model_version}}: 1 for the model version a process answers with, no series before the
 * first. When the version changes, the old series goes and the new one comes, so a query by {@code model_version}
 * shows which version each instance serves.
 */
public final class ActiveModelMeter {

    public static final String NAME = "pricecast.model.active";

    private final MeterRegistry registry;
    private Gauge current;
    private String version = "";

    /** @param registry the service's registry */
    public ActiveModelMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The process now answers with {@code version}. */
    public synchronized void set(String version) {
        if (version.equals(this.version)) {
            return;
        }
        if (current != null) {
            registry.remove(current);
        }
        this.version = version;
        current = Gauge.builder(NAME, () -> 1)
                .description("1 for the model version this process answers with")
                .tag("model_version", version)
                .register(registry);
    }

    /** @return the version set last, empty before the first */
    public synchronized String version() {
        return version;
    }
}

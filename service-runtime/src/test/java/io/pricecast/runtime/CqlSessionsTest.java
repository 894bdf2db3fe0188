package io.pricecast.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shared driver configuration, read without a Cassandra. */
class CqlSessionsTest {

    private static DriverExecutionProfile profile(DriverConfigLoader loader) {
        try (loader) {
            return loader.getInitialConfig().getDefaultProfile();
        }
    }

    @Test
    void everyServiceReadsAndWritesAtLocalQuorumUnderTheConcurrencyThrottler() {
        DriverExecutionProfile p = profile(CqlSessions.driverConfig());

        assertThat(p.getString(DefaultDriverOption.REQUEST_CONSISTENCY)).isEqualTo("LOCAL_QUORUM");
        assertThat(p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.getString(DefaultDriverOption.REQUEST_THROTTLER_CLASS))
                .isEqualTo("ConcurrencyLimitingRequestThrottler");
        assertThat(p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS))
                .isEqualTo(256);
        assertThat(p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE))
                .isEqualTo(10_000);
        assertThat(p.getBoolean(DefaultDriverOption.RECONNECT_ON_INIT)).isFalse();
    }

    @Test
    void anInFlightBoundReplacesOnlyTheThrottlersLimit() {
        DriverExecutionProfile p = profile(CqlSessions.driverConfig(7));

        assertThat(p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS))
                .isEqualTo(7);
        assertThat(p.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE))
                .isEqualTo(10_000);
        assertThat(p.getString(DefaultDriverOption.REQUEST_CONSISTENCY)).isEqualTo("LOCAL_QUORUM");
        assertThat(p.getInt(DefaultDriverOption.REQUEST_PAGE_SIZE)).isEqualTo(1000);
    }

    @Test
    void aSchemaChangeIsFollowedByARefreshWithin20MsNotTheDriversDefaultSecond() {
        DriverExecutionProfile p = profile(CqlSessions.driverConfig());

        assertThat(p.getBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED)).isTrue();
        assertThat(p.getDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW)).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void theConfigurationWithoutSchemaMetadataKeepsEveryOtherSetting() {
        DriverExecutionProfile p = profile(CqlSessions.driverConfigWithoutSchemaMetadata());

        assertThat(p.getBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED)).isFalse();
        assertThat(p.getString(DefaultDriverOption.REQUEST_CONSISTENCY)).isEqualTo("LOCAL_QUORUM");
        assertThat(p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsANonPositiveBound() {
        assertThatThrownBy(() -> CqlSessions.driverConfig(0)).hasMessageContaining("maxInFlight=0");
    }

    @Test
    void aSystemPropertyStillOverridesTheFile() {
        String consistency = "datastax-java-driver.basic.request.consistency";
        String queue = "datastax-java-driver.advanced.throttler.max-queue-size";
        System.setProperty(consistency, "ONE");
        System.setProperty(queue, "3");
        try {
            assertThat(profile(CqlSessions.driverConfig()).getString(DefaultDriverOption.REQUEST_CONSISTENCY))
                    .isEqualTo("ONE");
            DriverExecutionProfile bounded = profile(CqlSessions.driverConfig(7));
            assertThat(bounded.getString(DefaultDriverOption.REQUEST_CONSISTENCY))
                    .isEqualTo("ONE");
            assertThat(bounded.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE))
                    .isEqualTo(3);
        } finally {
            System.clearProperty(consistency);
            System.clearProperty(queue);
        }
    }
}

package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** The Testcontainers path of the harness; runs only where a Docker engine is available. */
class ContainersStackTest {

    @Test
    void testcontainersStackServesKafkaAndCassandra() throws Exception {
        assumeTrue(
                ContainerStack.dockerAvailable(),
                "no Docker engine on this machine: the local-process stack is used instead");
        try (ContainerStack stack = ContainerStack.start()) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(endpoints.kafkaProperties())) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            }
            try (CqlSession session = endpoints.cqlSession()) {
                assertThat(session.execute("SELECT release_version FROM system.local")
                                .one()
                                .getString(0))
                        .startsWith("5.0");
            }
        }
    }
}

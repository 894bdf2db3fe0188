package io.pricecast.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InitCommandTest {

    @Test
    void initTakesOneCassandraNodeOrAListOfThemAndResolvesNoneBeforeItTries() {
        assertThat(InitCommand.contacts("cassandra-1:9042, cassandra-2:9042,cassandra-3:9043"))
                .allSatisfy(a -> assertThat(a.isUnresolved()).isTrue())
                .extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("cassandra-1:9042", "cassandra-2:9042", "cassandra-3:9043");
        assertThat(InitCommand.contacts("127.0.0.1:9042")).hasSize(1);
        assertThatThrownBy(() -> InitCommand.contacts("cassandra-1:9042,cassandra-2"))
                .hasMessage("--cassandra: 'cassandra-2' is not host:port");
    }
}

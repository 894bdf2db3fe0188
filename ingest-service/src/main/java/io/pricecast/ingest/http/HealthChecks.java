package io.pricecast.ingest.http;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.pricecast.ingest.console.ConsoleIntake;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** What {@code /health} checks: Kafka answers, Cassandra answers, the console intake is not failing. */
public final class HealthChecks {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    static final String OK = "ok";

    private final Admin admin;
    private final CqlSession session;
    private final Optional<ConsoleIntake> console;

    /**
     * @param admin   the process's admin client
     * @param session the process's CQL session
     * @param console the console intake, when it runs
     */
    public HealthChecks(Admin admin, CqlSession session, Optional<ConsoleIntake> console) {
        this.admin = admin;
        this.session = session;
        this.console = console;
    }

    /** @return each check's result: {@code ok} or why not */
    public Map<String, String> run() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("kafka", kafka());
        checks.put("cassandra", cassandra());
        console.ifPresent(c -> checks.put(
                "console_intake",
                c.lastError().map(e -> "restarting after: " + e).orElse(OK)));
        return checks;
    }

    private String kafka() {
        try {
            String cluster = admin.describeCluster(
                            new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                    .clusterId()
                    .get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return cluster == null ? "no cluster id" : OK;
        } catch (ExecutionException e) {
            return "unreachable: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "no answer within " + CHECK_TIMEOUT.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String cassandra() {
        try {
            session.execute(SimpleStatement.newInstance("SELECT release_version FROM system.local")
                    .setTimeout(CHECK_TIMEOUT));
            return OK;
        } catch (RuntimeException e) {
            return "unreachable: " + e.getMessage();
        }
    }
}

package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void waitsThroughAnswersOf503UntilA200() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(() -> calls.incrementAndGet() < 3 ? 503 : 200);

        Readiness.await200(url, Duration.ofSeconds(30));

        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void failsWithTheLastAnswerWhenNo200Comes() throws IOException {
        String url = serve(() -> 503);

        assertThatThrownBy(() -> Readiness.await200(url, Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET " + url + " did not answer 200 within PT1S")
                .hasMessageContaining("last: 503 {\"status\":\"down\",\"reason\":\"kafka: no answer\"}");
    }

    private String serve(IntSupplier status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            int code = status.getAsInt();
            byte[] body = (code == 200
                            ? "{\"status\":\"up\"}"
                            : "{\"status\":\"down\",\"reason\":\"kafka: no answer\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }
}

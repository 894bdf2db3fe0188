package io.pricecast.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A health check over HTTP: the port listens and a GET of the health URL answers 200. */
final class HttpHealth {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpHealth() {}

    /**
     * @param port    the port that must listen
     * @param url     the health URL
     * @param healthy what to report when it answers 200
     * @param timeout the longest the request may take
     * @return what was seen
     */
    static Health check(int port, String url, String healthy, Duration timeout) {
        if (!Ports.isListening(port)) {
            return Health.down("port " + port + " not listening");
        }
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? Health.up(healthy)
                    : Health.down(url + " answered " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            return Health.down("not answering: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("interrupted");
        }
    }
}

package io.pricecast.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpGuardTest {

    private static final String SECRET = "hunter2-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String SIGNING_KEY = "k".repeat(64);
    /** The limit of /own, a route that checks its body limit itself, as ingest's uploads do. */
    private static final int OWN_LIMIT = 2 * 1024 * 1024;

    private static final HttpGuard.ErrorWriter ERRORS =
            (ctx, status, code, message) -> ctx.status(status).json(Map.of("error", code, "message", message));

    private Javalin app;
    private String base;

    private void start(Map<String, String> env) {
        HttpGuard guard = HttpGuard.fromEnvironment(env).ownBodyLimit("/own", OWN_LIMIT);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            guard.configure(config);
            RoutesConfig routes = config.routes;
            guard.install(routes, ERRORS);
            routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
            routes.get("/data", ctx -> ctx.json(Map.of("rows", 3)));
            routes.post(
                    "/change",
                    ctx -> ctx.json(Map.of("received", guard.body(ctx).length())));
            routes.get(
                    SignedUrls.Scope.PREDICTIONS.path(),
                    ctx -> guard.signed(ctx, SignedUrls.Scope.PREDICTIONS, ERRORS)
                            .ifPresent(dataset -> ctx.json(Map.of("dataset", dataset))));
            routes.put(SignedUrls.Scope.UPLOAD.path(), ctx -> {
                var dataset = guard.signed(ctx, SignedUrls.Scope.UPLOAD, ERRORS);
                if (dataset.isPresent()) {
                    ctx.json(Map.of(
                            "dataset",
                            dataset.get(),
                            "received",
                            guard.body(ctx).length()));
                }
            });
            routes.post("/own", ctx -> {
                if (ctx.req().getContentLengthLong() > OWN_LIMIT) {
                    ERRORS.write(ctx, HttpStatus.CONTENT_TOO_LARGE, "too_large", "over " + OWN_LIMIT + " bytes");
                } else {
                    ctx.json(Map.of("received", ctx.req().getInputStream().readAllBytes().length));
                }
            });
            routes.get("/boom", ctx -> {
                throw new IllegalStateException("connecting with password " + SECRET + " failed");
            });
        });
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void leavesReadsOpenByDefaultAndAnswersAnInternalFailureWithoutItsText() throws Exception {
        start(Map.of());
        assertThat(get("/data", null).statusCode()).isEqualTo(200);
        HttpResponse<String> boom = get("/boom", null);
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body())
                .contains("internal_error", "ref ")
                .doesNotContain(SECRET, "Exception", "at io.", "password");
    }

    @Test
    void aReadTokenProtectsEveryReadButHealth(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("read.token"), "read-1");
        start(Map.of(HttpGuard.READ_TOKEN + "_FILE", token.toString()));
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = get("/data", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(missing.body()).contains("unauthorized", HttpGuard.READ_TOKEN);
        assertThat(get("/data", "read-2").statusCode()).isEqualTo(401);
        assertThat(get("/data", "read-1").statusCode()).isEqualTo(200);
        Files.writeString(token, "read-2");
        HttpResponse<String> stale = get("/data", "read-1");
        assertThat(stale.statusCode()).as("stale after rotation").isEqualTo(401);
        assertThat(stale.body()).doesNotContain("read-1", "read-2");
        assertThat(get("/data", "read-2").statusCode()).isEqualTo(200);
    }

    @Test
    void aWriteTokenProtectsStateChangingRequests() throws Exception {
        start(Map.of(HttpGuard.WRITE_TOKEN, "write-1"));
        assertThat(post("/change", "{}", null).statusCode()).isEqualTo(401);
        assertThat(post("/change", "{}", "nope").statusCode()).isEqualTo(401);
        assertThat(post("/change", "{}", "write-1").statusCode()).isEqualTo(200);
        assertThat(post("/change", "x".repeat(100_000), null).statusCode())
                .as("refused for the token before the size")
                .isEqualTo(401);
        assertThat(get("/data", null).statusCode()).as("reads stay open").isEqualTo(200);
    }

    @Test
    void aRefusedBodyIsReadSoItsClientGetsTheAnswer() throws Exception {
        // refused while the client still sends: closing on the unread bytes made the kernel reset the connection, and
        // the client lost the answer (a broken pipe, then "header parser received no bytes") within 20 of these
        start(Map.of(HttpGuard.WRITE_TOKEN, "write-1"));
        String overTheLimit = "x".repeat(100_000);
        for (int i = 0; i < 200; i++) {
            assertThat(post("/change", overTheLimit, null).statusCode())
                    .as("refused for the token, %d", i)
                    .isEqualTo(401);
            assertThat(post("/change", overTheLimit, "write-1").statusCode())
                    .as("refused for its declared size, %d", i)
                    .isEqualTo(413);
            HttpResponse<String> chunked = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/change"))
                            .header("Authorization", "Bearer write-1")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new ByteArrayInputStream(overTheLimit.getBytes(StandardCharsets.US_ASCII))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode())
                    .as("refused for its size while read, %d", i)
                    .isEqualTo(413);
        }
        // a route with a limit of its own: a body just over it is read to its end too, whatever the guard's limit
        String overItsOwn = "x".repeat(OWN_LIMIT + 1);
        for (int i = 0; i < 100; i++) {
            assertThat(post("/own", overItsOwn, "write-1").statusCode())
                    .as("refused by the route, %d", i)
                    .isEqualTo(413);
        }
        // past the route's limit plus the margin, or not yet sent (Expect: 100-continue), the body is not read and the
        // connection ends
        long unread = HttpGuard.DEFAULT_MAX_BODY_KB * 1024L + HttpGuard.DISCARD_MARGIN_BYTES + 1;
        String declaredHuge = raw("POST /change HTTP/1.1\r\nHost: x\r\nContent-Length: " + unread + "\r\n\r\n");
        assertThat(declaredHuge).startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close");
        String declaredHugeOwn = raw("POST /own HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer write-1\r\n"
                + "Content-Length: " + (OWN_LIMIT + HttpGuard.DISCARD_MARGIN_BYTES + 1) + "\r\n\r\n");
        assertThat(declaredHugeOwn).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
        String expecting =
                raw("POST /change HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        assertThat(expecting)
                .startsWith("HTTP/1.1 401")
                .containsIgnoringCase("Connection: close")
                .doesNotContain("100 Continue");
    }

    @Test
    void refusesABodyOverTheLimitWhetherDeclaredOrChunked() throws Exception {
        start(Map.of(HttpGuard.MAX_BODY_KB, "1"));
        assertThat(post("/change", "x".repeat(1024), null).statusCode()).isEqualTo(200);
        HttpResponse<String> declared = post("/change", "x".repeat(1025), null);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("too_large", "1024 bytes");
        HttpResponse<String> chunked = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/change"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5000])))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void answersMalformedRequestsFromJettyAsJsonWithoutStackTraces() throws Exception {
        start(Map.of());
        String badUri = raw("GET /data%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(badUri).startsWith("HTTP/1.1 400");
        String hugeHeader =
                raw("GET /data HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(hugeHeader).startsWith("HTTP/1.1 431");
        assertThat(badUri + hugeHeader).doesNotContain("Exception", "at org.", "at io.", "<html");
    }

    @Test
    void signedRoutesNeedTheirSignatureAndNeitherToken() throws Exception {
        start(Map.of(
                HttpGuard.READ_TOKEN,
                "read-1",
                HttpGuard.WRITE_TOKEN,
                "write-1",
                SignedUrls.KEY_VARIABLE,
                SIGNING_KEY));
        SignedUrls signer = SignedUrls.fromEnvironment(Map.of(SignedUrls.KEY_VARIABLE, SIGNING_KEY));
        java.time.Instant expires = java.time.Instant.now().plusSeconds(600);
        String pred = signer.url(base, SignedUrls.Scope.PREDICTIONS, "mine", expires);
        String upload = signer.url(base, SignedUrls.Scope.UPLOAD, "mine", expires);
        HttpResponse<String> read =
                HTTP.send(HttpRequest.newBuilder(URI.create(pred)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("\"dataset\":\"mine\"");
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(upload))
                        .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        // a bearer token is no substitute for the signature
        HttpResponse<String> unsigned = get(SignedUrls.Scope.PREDICTIONS.path() + "?dataset=mine", "read-1");
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body())
                .contains("malformed_signed_url", "signature")
                .doesNotContain("Exception");
        HttpResponse<String> other = HTTP.send(
                HttpRequest.newBuilder(URI.create(pred.replace("dataset=mine", "dataset=other")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("signature_mismatch");
        // the exemption covers the signed prefix only: dot segments cannot reach another route through it
        for (String path :
                new String[] {"/signed/../data", "/signed/%2e%2e/data", "/signed/..%2fdata", "/signed//data"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200").doesNotContain("\"rows\"");
        }
        assertThat(get("/data", null).statusCode())
                .as("the unsigned routes keep their token")
                .isEqualTo(401);
    }

    @Test
    void signedRoutesAnswer503WithoutAKey() throws Exception {
        start(Map.of());
        HttpResponse<String> r =
                get(SignedUrls.Scope.PREDICTIONS.path() + "?dataset=mine&expires=1&signature=" + "0".repeat(64), null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("signing_not_configured", SignedUrls.KEY_VARIABLE);
    }

    @Test
    void codesAreSnakeCaseReasonPhrases() {
        assertThat(HttpGuard.code(HttpStatus.CONTENT_TOO_LARGE)).isEqualTo("too_large");
        assertThat(HttpGuard.code(HttpStatus.UNAUTHORIZED)).isEqualTo("unauthorized");
        assertThat(HttpGuard.code(HttpStatus.BAD_REQUEST)).isEqualTo("bad_request");
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

package io.pricecast.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A service's OpenAPI 3 document, a classpath resource ({@code openapi/<service>.json}) served at
 * {@code GET /openapi.json}, and the routes the service registers, so that a test holds the two equal: every route
 * is documented and every documented operation is a route.
 *
 * <pre>{@code
 * OpenApi openApi = new OpenApi("openapi/sink.json");
 * Javalin app = Javalin.create(config -> {
 *     openApi.recordRoutes(config); // first: it records the routes registered after it
 *     config.routes.get(...);
 *     openApi.serve(config.routes);
 * });
 * }</pre>
 */
public final class OpenApi {

    public static final String PATH = "/openapi.json";

    private static final Set<HandlerType> OPERATIONS =
            Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH);

    private final String resource;
    private final byte[] document;
    private final Set<String> routes = new ConcurrentSkipListSet<>();

    /** @param resource the document's classpath resource */
    public OpenApi(String resource) {
        this.resource = resource;
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no OpenAPI document " + resource + " on the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + resource, e);
        }
    }

    /** Inside {@code Javalin.create}: records every route the application registers from now on. */
    public void recordRoutes(JavalinConfig config) {
        config.events.handlerAdded(info -> {
            if (OPERATIONS.contains(info.getHttpMethod())) {
                routes.add(info.getHttpMethod().name() + " " + info.getPath());
            }
        });
    }

    /** Registers {@code GET /openapi.json}. */
    public void serve(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(document));
    }

    /** @return {@code METHOD path} of every route registered since {@link #recordRoutes} */
    public SortedSet<String> routes() {
        return new TreeSet<>(routes);
    }

    /** @return {@code METHOD path} of every operation the document describes */
    public SortedSet<String> documented() {
        SortedSet<String> out = new TreeSet<>();
        try {
            JsonNode paths = new ObjectMapper().readTree(document).path("paths");
            for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
                String path = p.next();
                for (Iterator<String> m = paths.path(path).fieldNames(); m.hasNext(); ) {
                    String method = m.next().toUpperCase(Locale.ROOT);
                    if (OPERATIONS.stream().anyMatch(t -> t.name().equals(method))) {
                        out.add(method + " " + path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document " + resource + " is no JSON", e);
        }
        return out;
    }
}

package io.pricecast.sink.http;

/** A request the API refuses, answered with status 400 and the message as JSON. */
public final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, in the user's terms */
    public BadRequest(String message) {
        super(message);
    }
}

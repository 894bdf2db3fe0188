package io.pricecast.input.csv;

/** The input cannot be read as a price file at all (as opposed to single records being rejected). */
public class PriceFileException extends RuntimeException {

    public PriceFileException(String message) {
        super(message);
    }

    public PriceFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

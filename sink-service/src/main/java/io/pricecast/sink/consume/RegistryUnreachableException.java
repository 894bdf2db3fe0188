package io.pricecast.sink.consume;

/** A record could not be deserialised because the schema registry did not answer: the batch must be rewound. */
final class RegistryUnreachableException extends Exception {

    /** @param cause the deserialiser's failure */
    RegistryUnreachableException(RuntimeException cause) {
        super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
        return (RuntimeException) super.getCause();
    }
}

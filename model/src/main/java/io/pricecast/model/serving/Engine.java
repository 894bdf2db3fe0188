package io.pricecast.model.serving;

/** Which forward pass scores the windows. */
public enum Engine {
    /** Plain Java for small batches, DJL (PyTorch) for large ones ({@code RoutedForwardPass}). */
    AUTO,
    /** Plain Java only: no native engine is loaded. */
    JAVA,
    /** DJL (PyTorch) only. */
    DJL
}

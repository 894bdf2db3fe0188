package io.pricecast.scorefile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Parses and validates a daily-price CSV file for {@link ScoreFile}. The implementation is
 * {@link PriceInputSource}, the shared {@code price-input} library (the same rules as the ingest service);
 * the seam keeps the scoring core independent of how rows are read.
 */
public interface PriceFileSource {

    /**
     * Reads every row of {@code file}, calling the listener once per data row in file order.
     *
     * @throws IOException when the file cannot be read or its header is not an accepted layout
     *                     (the message names the file and the reason)
     */
    void read(Path file, PriceRowListener listener) throws IOException;
}

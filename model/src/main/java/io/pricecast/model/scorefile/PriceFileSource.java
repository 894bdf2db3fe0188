package io.pricecast.model.scorefile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Parses and validates a daily-price CSV file for {@link ScoreFile}. The real implementation is the shared
 * {@code price-input} module's parser (the same rules as the ingest service); {@link NotebookCsvSource} is
 * a minimal stand-in that only parses.
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

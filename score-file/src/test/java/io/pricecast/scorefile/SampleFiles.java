package io.pricecast.scorefile;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The data scientist's sample prices and the notebook's predictions for them, located on the test classpath. */
public final class SampleFiles {

    /** The sample (notebook layout; BTC, LTC, XRP, one year). */
    public static final String SAMPLE_PRICES = "/parity/crypto_sample.csv";
    /** The notebook's predictions CSV for {@link #SAMPLE_PRICES}. */
    public static final String SAMPLE_EXPECTED = "/parity/crypto_sample_expected_preds.csv";

    private SampleFiles() {}

    /** @return the file behind a test resource */
    public static Path path(String resource) {
        URL url = SampleFiles.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " is not on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + resource + " has no file path: " + url, e);
        }
    }
}

package io.pricecast.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test resources and small files written for a test. */
public final class TestFiles {

    public static final String SAMPLE = "crypto_sample.csv";
    public static final String CORPUS = "every-reason.csv";
    public static final String CORPUS_EXPECTED = "every-reason.expected.json";

    private TestFiles() {}

    public static InputStream resource(String name) {
        InputStream in = TestFiles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        return in;
    }

    public static String resourceText(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path copyResource(String name, Path directory) throws IOException {
        Path target = directory.resolve(name);
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    public static Path write(Path directory, String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
    }
}

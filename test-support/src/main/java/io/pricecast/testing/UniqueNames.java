package io.pricecast.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Unique topic and keyspace names, so tests sharing one stack never see each other's data. */
public final class UniqueNames {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private UniqueNames() {}

    /**
     * @param prefix readable part
     * @return a topic name unique in this run and across runs on the same broker
     */
    public static String topic(String prefix) {
        return "t." + prefix + "." + RUN + "." + SEQUENCE.incrementAndGet();
    }

    /**
     * @param prefix readable part (letters, digits, underscores)
     * @return a keyspace name unique in this run, at most 48 characters
     */
    public static String keyspace(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = "k_" + clean + "_" + RUN + "_" + SEQUENCE.incrementAndGet();
        return name.length() <= 48 ? name : "k_" + RUN + "_" + SEQUENCE.incrementAndGet();
    }
}

package io.pricecast.runtime.cql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned CQL file on the classpath, named {@code V<three digits>__<description>.cql} (for example
 * {@code cql/V002__accuracy_tables.cql}). The version orders the files; a change to a table is a new file, never an
 * edit of one that has been applied.
 *
 * @param resource    the classpath resource, e.g. {@code cql/V001__sink_tables.cql}
 * @param version     the number after {@code V}, from 1
 * @param description the words after {@code __}, without {@code .cql}
 */
public record MigrationFile(String resource, int version, String description) {

    /** The file-name rule every migration follows: {@code V}, three digits, {@code __}, lower-case words, {@code .cql}. */
    public static final Pattern NAME = Pattern.compile("V(\\d{3})__([a-z0-9]+(?:_[a-z0-9]+)*)\\.cql");

    /**
     * @param resource a classpath resource whose file name follows {@link #NAME}
     * @return the file, its version and description read from the name
     * @throws IllegalArgumentException when the name does not follow {@link #NAME}, or its version is 0
     */
    public static MigrationFile of(String resource) {
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Matcher name = NAME.matcher(fileName);
        if (!name.matches()) {
            throw new IllegalArgumentException(
                    "CQL migration " + resource + " must be named like V001__what_it_does.cql");
        }
        int version = Integer.parseInt(name.group(1));
        if (version == 0) {
            throw new IllegalArgumentException("CQL migration " + resource + ": versions start at V001");
        }
        return new MigrationFile(resource, version, name.group(2));
    }
}

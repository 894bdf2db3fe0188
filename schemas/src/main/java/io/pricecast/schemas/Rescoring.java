package io.pricecast.schemas;

/**
 * How a re-scored forecast is told from a live one: its {@code scoring_version} is
 * {@code "rescore <commit>"}. Re-scores sit under their own model version's rows and are shown where a
 * model version is asked for; the default view of a series (the pred URL, the chart, the look-up) keeps
 * the live stream's forecast of a day whenever there is one.
 */
public final class Rescoring {

    /** The start of a re-scored forecast's {@code scoring_version}. */
    public static final String SCORING_VERSION_PREFIX = "rescore ";

    private Rescoring() {}

    /**
     * @param scoringVersion a forecast's {@code scoring_version}, may be null
     * @return whether the forecast came from a re-score rather than the live stream
     */
    public static boolean isRescore(String scoringVersion) {
        return scoringVersion != null && scoringVersion.startsWith(SCORING_VERSION_PREFIX);
    }
}

package io.pricecast.stack;

/**
 * The result of one health check.
 *
 * @param healthy whether the component answers as it should
 * @param detail  what was seen: a version, a node count, or why it is not healthy
 */
public record Health(boolean healthy, String detail) {

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}

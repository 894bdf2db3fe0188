package io.pricecast.runtime.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one scrape in Prometheus' text format, as the bench and the tests read a service's {@code /metrics}:
 * {@code name{label="value",...} value}, comments and blank lines skipped.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /**
     * @param text a scrape in Prometheus' text format
     * @return its samples
     * @throws IllegalArgumentException naming the line that is not a sample
     */
    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                out.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + " is no Prometheus sample: " + line, e);
            }
        }
        return new PrometheusText(List.copyOf(out));
    }

    /** @return every sample, in scrape order */
    public List<Sample> samples() {
        return samples;
    }

    /**
     * @param name   a sample name ({@code pricecast_uploads_total})
     * @param labels label name and value pairs every counted sample must carry
     * @return the sum of the matching samples' values, 0 when none match
     */
    public double sum(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s, wanted)) {
                sum += s.value();
            }
        }
        return sum;
    }

    /**
     * @param name   a sample name
     * @param by     the label to group by
     * @param labels label name and value pairs every counted sample must carry
     * @return the sums of the matching samples by the value of {@code by}, sorted
     */
    public Map<String, Double> sumBy(String name, String by, String... labels) {
        Map<String, String> wanted = pairs(labels);
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s, wanted) && s.labels().containsKey(by)) {
                out.merge(s.labels().get(by), s.value(), Double::sum);
            }
        }
        return out;
    }

    /** @return whether any sample has this name */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean matches(Sample s, Map<String, String> wanted) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (!w.getValue().equals(s.labels().get(w.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> pairs(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            out.put(labels[i], labels[i + 1]);
        }
        return out;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || (space >= 0 && space < brace)) {
            String[] parts = line.split("\\s+");
            return new Sample(parts[0], Map.of(), value(parts[1]));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label " + key + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (char c = line.charAt(j); c != '"'; c = line.charAt(++j)) {
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        String rest = line.substring(i + 1).strip();
        return new Sample(name, Collections.unmodifiableMap(labels), value(rest.split("\\s+")[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}

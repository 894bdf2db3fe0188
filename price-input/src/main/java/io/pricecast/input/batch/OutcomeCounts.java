package io.pricecast.input.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.schemas.RejectReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the records of one batch ended: {@code accepted + duplicates + rejected = total} always.
 *
 * @param rejected rejections per reason; reasons that did not occur are absent
 */
public record OutcomeCounts(long total, long accepted, long duplicates, Map<RejectReason, Long> rejected) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public OutcomeCounts {
        rejected = rejected.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(rejected));
        long sum = accepted
                + duplicates
                + rejected.values().stream().mapToLong(Long::longValue).sum();
        if (sum != total) {
            throw new IllegalArgumentException("accepted + duplicates + rejected = " + sum + ", not total " + total);
        }
    }

    public long rejectedTotal() {
        return total - accepted - duplicates;
    }

    public long rejected(RejectReason reason) {
        return rejected.getOrDefault(reason, 0L);
    }

    /**
     * {@code {"total":N,"accepted":N,"duplicates":N,"rejected":{"<reason>":N,...}}}, reasons in the
     * order of {@link RejectReason}, only those that occurred.
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", total);
        json.put("accepted", accepted);
        json.put("duplicates", duplicates);
        Map<String, Long> byCode = new LinkedHashMap<>();
        rejected.forEach((reason, count) -> byCode.put(reason.code(), count));
        json.put("rejected", byCode);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps of numbers always serialise", e);
        }
    }

    /** Counts outcomes as they happen. Not thread-safe. */
    public static final class Tally {
        private long accepted;
        private long duplicates;
        private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);

        public void accepted() {
            accepted++;
        }

        public void duplicate() {
            duplicates++;
        }

        public void rejected(RejectReason reason) {
            rejected.merge(reason, 1L, Long::sum);
        }

        public OutcomeCounts counts() {
            long rejectedSum =
                    rejected.values().stream().mapToLong(Long::longValue).sum();
            return new OutcomeCounts(accepted + duplicates + rejectedSum, accepted, duplicates, rejected);
        }
    }
}

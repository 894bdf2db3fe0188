package io.pricecast.trainer.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * When the scheduled retraining runs: a day of the week and a UTC time, written {@code SUN 00:00} (the default),
 * or {@code off}. Configured by {@value #VARIABLE}.
 */
public record WeeklySchedule(Optional<DayOfWeek> day, LocalTime time) {

    public static final String VARIABLE = "PRICECAST_TRAIN_SCHEDULE";
    public static final String DEFAULT = "SUN 00:00";

    /** @throws IllegalArgumentException naming the variable and the expected form */
    public static WeeklySchedule parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("OFF")) {
            return new WeeklySchedule(Optional.empty(), LocalTime.MIDNIGHT);
        }
        String[] parts = t.split("\\s+");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("two parts expected");
            }
            DayOfWeek day = java.util.Arrays.stream(DayOfWeek.values())
                    .filter(d -> d.name().startsWith(parts[0]) && parts[0].length() >= 3)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("day"));
            return new WeeklySchedule(Optional.of(day), LocalTime.parse(parts[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    VARIABLE + "=" + text + ": expected a day and a UTC time like '" + DEFAULT + "', or 'off'", e);
        }
    }

    public boolean enabled() {
        return day.isPresent();
    }

    /** The first run strictly after {@code now}. */
    public Instant nextAfter(Instant now) {
        ZonedDateTime current = now.atZone(ZoneOffset.UTC);
        ZonedDateTime candidate = current.with(TemporalAdjusters.nextOrSame(day.orElseThrow()))
                .with(time)
                .withSecond(time.getSecond())
                .withNano(0);
        if (!candidate.isAfter(current)) {
            candidate = candidate.plusWeeks(1);
        }
        return candidate.toInstant();
    }

    @Override
    public String toString() {
        return day.map(d -> d.name().substring(0, 3) + " " + time + " UTC").orElse("off");
    }
}

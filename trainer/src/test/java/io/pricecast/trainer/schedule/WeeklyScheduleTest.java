package io.pricecast.trainer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeeklyScheduleTest {

    @Test
    void defaultRunsEverySundayAtMidnightUtc() {
        WeeklySchedule schedule = WeeklySchedule.parse(WeeklySchedule.DEFAULT);
        // 2026-12-02 is a Wednesday
        assertThat(schedule.nextAfter(Instant.parse("2026-12-02T10:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
        assertThat(schedule.nextAfter(Instant.parse("2026-12-06T00:00:00Z")))
                .as("strictly after")
                .isEqualTo(Instant.parse("2026-12-13T00:00:00Z"));
        assertThat(schedule.toString()).isEqualTo("SUN 00:00 UTC");
    }

    @Test
    void parsesOtherDaysAndTimesAndOff() {
        assertThat(WeeklySchedule.parse("wed 03:30").nextAfter(Instant.parse("2026-12-02T03:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-02T03:30:00Z"));
        assertThat(WeeklySchedule.parse("off").enabled()).isFalse();
    }

    @Test
    void refusesAnUnreadableScheduleNamingTheVariable() {
        assertThatThrownBy(() -> WeeklySchedule.parse("sometimes"))
                .hasMessageContaining(WeeklySchedule.VARIABLE)
                .hasMessageContaining("SUN 00:00");
        assertThatThrownBy(() -> WeeklySchedule.parse("SU 00:00")).isInstanceOf(IllegalArgumentException.class);
    }
}

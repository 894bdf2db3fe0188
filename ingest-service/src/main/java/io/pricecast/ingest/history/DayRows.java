package io.pricecast.ingest.history;

import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import io.pricecast.input.PriceRow;

/** Converts a series' day to and from the {@code day_row} user type of the ingest tables. */
final class DayRows {

    private DayRows() {
    }

    static UdtValue toUdt(DataType columnType, PriceRow row) {
        if (!(columnType instanceof UserDefinedType type)) {
            throw new IllegalStateException("column type " + columnType + " is not the day_row user type");
        }
        return type.newValue()
                .setLocalDate("day", row.date())
                .setDouble("open", row.open())
                .setDouble("high", row.high())
                .setDouble("low", row.low())
                .setDouble("close", row.close())
                .setDouble("volume", row.volume())
                .setDouble("market", row.market())
                .setLong("line", row.line());
    }

    /** @return the day as a row of {@code series} (names and slug are not kept: comparisons ignore them) */
    static PriceRow fromUdt(String series, UdtValue value) {
        if (value == null) {
            return null;
        }
        return new PriceRow(series, "", "", value.getLocalDate("day"), value.getDouble("open"), value.getDouble("high"),
                value.getDouble("low"), value.getDouble("close"), value.getDouble("volume"), value.getDouble("market"),
                value.getLong("line"));
    }
}

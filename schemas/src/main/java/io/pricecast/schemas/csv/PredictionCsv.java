package io.pricecast.schemas.csv;

import java.math.BigDecimal;
import java.util.List;

/**
 * The predictions CSV of docs/model.md ("Predictions CSV"): {@code symbol,index,date,pred_open,val_open}, written by
 * {@code score-file}, predict-service's {@code /predict.csv} and the sink's export. Numbers are written the way Python's
 * {@code repr(float)} (and so pandas) writes them, so our files read like the notebook's; text cells go through
 * {@link CsvSafe}.
 */
public final class PredictionCsv {

    /** The header row. */
    public static final List<String> HEADER = List.of("symbol", "index", "date", "pred_open", "val_open");
    /** Python's repr switches to exponent notation outside [1e-4, 1e16). */
    private static final double PLAIN_MIN = 1e-4;

    private static final double PLAIN_MAX = 1e16;

    private PredictionCsv() {}

    /** Shortest round-tripping decimal, plain between 1e-4 and 1e16 (with a trailing {@code .0} for integers). */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String shortest = Double.toString(value);
        double magnitude = Math.abs(value);
        if (value == 0.0 || (magnitude >= PLAIN_MIN && magnitude < PLAIN_MAX)) {
            String plain = new BigDecimal(shortest).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        int e = shortest.indexOf('E');
        String mantissa = shortest.substring(0, e).replaceAll("\\.0$", "");
        int exponent = Integer.parseInt(shortest.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}

package io.pricecast.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots (XChart): medians as bars or lines, the min and max of the runs as markers. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    /** Lower end of a logarithmic bar axis when no figure is positive (the axis cannot start at 0). */
    private static final double LOG_AXIS_FLOOR = 1;

    private Charts() {}

    /**
     * A bar per category at its median, with the runs' min and max as markers.
     *
     * @param file    the PNG to write (without extension)
     * @param title   chart title
     * @param yTitle  the y axis
     * @param figures category -> figure
     * @param logY    logarithmic y axis (every value must be positive)
     */
    static void bars(Path file, String title, String yTitle, Map<String, Figure> all, boolean logY) throws IOException {
        Map<String, Figure> figures = measured(all);
        if (figures.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setOverlapped(true);
        styler.setYAxisLogarithmic(logY);
        if (logY) {
            // bars start at 0 unless told otherwise, which a logarithmic axis refuses
            double smallest = figures.values().stream()
                    .mapToDouble(Figure::min)
                    .filter(v -> v > 0)
                    .min()
                    .orElse(LOG_AXIS_FLOOR);
            styler.setYAxisMin(smallest / 2);
        }
        styler.setXAxisLabelRotation(15);
        styler.setYAxisDecimalPattern("#,##0.###");
        List<String> names = new ArrayList<>(figures.keySet());
        chart.addSeries("median", names, values(figures, Figure::median));
        marker(chart.addSeries("min", names, values(figures, Figure::min)));
        marker(chart.addSeries("max", names, values(figures, Figure::max)));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Grouped bars: one group per category, one bar per series (medians only).
     *
     * @param file   the PNG to write (without extension)
     * @param title  chart title
     * @param yTitle the y axis
     * @param series series name -> (category -> value)
     */
    static void groupedBars(Path file, String title, String yTitle, Map<String, Map<String, Double>> series)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        List<String> categories = new ArrayList<>();
        series.values()
                .forEach(m ->
                        m.keySet().stream().filter(c -> !categories.contains(c)).forEach(categories::add));
        if (categories.isEmpty()) {
            return;
        }
        series.forEach((name, m) -> chart.addSeries(
                name,
                categories,
                categories.stream().map(c -> (Number) m.getOrDefault(c, 0.0)).toList()));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Lines over the scale points' symbol counts (log x), each a median with min/max markers.
     *
     * @param file   the PNG to write (without extension)
     * @param title  chart title
     * @param yTitle the y axis
     * @param lines  line name -> (symbols -> figure)
     */
    static void scaling(Path file, String title, String yTitle, Map<String, Map<Integer, Figure>> lines)
            throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("symbols")
                .yAxisTitle(yTitle)
                .build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setXAxisLogarithmic(true);
        styler.setYAxisDecimalPattern("#,##0.###");
        styler.setXAxisDecimalPattern("#,##0");
        int drawn = 0;
        for (Map.Entry<String, Map<Integer, Figure>> line : lines.entrySet()) {
            Map<Integer, Figure> byX = new LinkedHashMap<>(line.getValue());
            byX.values().removeIf(f -> f.values().isEmpty());
            if (byX.isEmpty()) {
                continue;
            }
            drawn++;
            double[] symbols =
                    byX.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            chart.addSeries(line.getKey() + " (median)", symbols, column(byX, Figure::median));
            XYSeries low = chart.addSeries(line.getKey() + " min", symbols, column(byX, Figure::min));
            XYSeries high = chart.addSeries(line.getKey() + " max", symbols, column(byX, Figure::max));
            for (XYSeries s : List.of(low, high)) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND);
            }
        }
        if (drawn == 0) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** @return the figures that have at least one finite value (a failed or skipped run leaves none) */
    private static Map<String, Figure> measured(Map<String, Figure> figures) {
        Map<String, Figure> result = new LinkedHashMap<>();
        figures.forEach((k, f) -> {
            if (f != null && !f.values().isEmpty() && Double.isFinite(f.median())) {
                result.put(k, f);
            }
        });
        return result;
    }

    private static void marker(CategorySeries s) {
        s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter)
                .setMarker(SeriesMarkers.DIAMOND);
    }

    /** One statistic of every point of a line, in the line's order. */
    private static double[] column(Map<Integer, Figure> byX, java.util.function.ToDoubleFunction<Figure> statistic) {
        return byX.values().stream().mapToDouble(statistic).toArray();
    }

    private static List<Number> values(Map<String, Figure> figures, java.util.function.ToDoubleFunction<Figure> f) {
        return figures.values().stream().map(v -> (Number) f.applyAsDouble(v)).toList();
    }
}

package io.flashsale.bench.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency by percentile, as a self-contained HTML page with an inline SVG chart (no script, no
 * network): the x axis is the percentile on the usual HdrHistogram scale, log10(1 / (1 - p)), so
 * 90%, 99%, 99.9% ... are evenly spaced and the tail gets the room it deserves; the y axis is
 * milliseconds on a log scale, so a 0.3 ms median and a 300 ms tail are both readable on one
 * chart. One line per series (steps of a run, or systems of a comparison).
 *
 * <p>Stateless; any thread.
 */
public final class LatencyPlot
{
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    /** The x axis ends at 99.9999%: five nines and one more, enough for any run this tool makes. */
    private static final double MAX_X = 6;

    private LatencyPlot()
    {
    }

    /** Writes the page; series with no samples are left out. */
    public static void write(final Path file, final String title, final String subtitle, final Map<String, Histogram> seriesMicros)
        throws IOException
    {
        Files.writeString(file, html(title, subtitle, seriesMicros), StandardCharsets.UTF_8);
    }

    static String html(final String title, final String subtitle, final Map<String, Histogram> seriesMicros)
    {
        long maxMicros = 1;
        long minMicros = Long.MAX_VALUE;
        for (final Histogram h : seriesMicros.values())
        {
            if (h.getTotalCount() > 0)
            {
                maxMicros = Math.max(maxMicros, h.getMaxValue());
                minMicros = Math.min(minMicros, Math.max(10, h.getValueAtPercentile(1)));
            }
        }
        // Whole decades of milliseconds, from the smallest median-ish value to the largest maximum.
        final double decadeLow = Math.floor(Math.log10((minMicros == Long.MAX_VALUE ? 10 : minMicros) / 1000.0));
        final double decadeHigh = Math.max(decadeLow + 1, Math.ceil(Math.log10(maxMicros / 1000.0)));
        final double[] yRange = {decadeLow, decadeHigh};
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        axes(svg, yRange);
        int colour = 0;
        int legendY = TOP + 10;
        for (final Map.Entry<String, Histogram> series : seriesMicros.entrySet())
        {
            if (series.getValue().getTotalCount() == 0)
            {
                continue;
            }
            final String stroke = COLOURS[colour++ % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(stroke).append("\" points=\"");
            for (final double[] point : points(series.getValue()))
            {
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(point[0]), y(point[1], yRange)));
            }
            svg.append("\"/>\n");
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 35, legendY, stroke, WIDTH - RIGHT + 40, legendY + 4, escape(series.getKey())));
            legendY += 20;
        }
        svg.append("</svg>\n");
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>\n"
            + "<body style=\"font-family:sans-serif\">\n<h2>" + escape(title) + "</h2>\n<p>" + escape(subtitle) + "</p>\n"
            + svg
            + "<p>Latency is measured from each request's intended send time (open loop), so queueing and stalls are included.</p>\n"
            + "</body></html>\n";
    }

    /** (x on the percentile scale, milliseconds) for each percentile step of the histogram. */
    static List<double[]> points(final Histogram micros)
    {
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue value : micros.percentiles(5))
        {
            final double percentile = value.getPercentileLevelIteratedTo();
            final double x = percentile >= 100 ? MAX_X : Math.min(MAX_X, Math.log10(1 / (1 - percentile / 100)));
            points.add(new double[] {x, micros.highestEquivalentValue(value.getValueIteratedTo()) / 1000.0});
            if (percentile >= 100)
            {
                break;
            }
        }
        return points;
    }

    private static void axes(final StringBuilder svg, final double[] yRange)
    {
        final int plotRight = WIDTH - RIGHT;
        final int plotBottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
            LEFT, TOP, plotRight - LEFT, plotBottom - TOP));
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i <= MAX_X; i++)
        {
            final double x = x(i);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP, x, plotBottom, x, plotBottom + 18, labels[i]));
        }
        for (int decade = (int)yRange[0]; decade <= (int)yRange[1]; decade++)
        {
            final double ms = Math.pow(10, decade);
            final double y = y(ms, yRange);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT, y, plotRight, y, LEFT - 6, y + 4, trim(ms)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            (LEFT + plotRight) / 2, HEIGHT - 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">latency (ms, log scale)</text>%n",
            (TOP + plotBottom) / 2, (TOP + plotBottom) / 2));
    }

    private static double x(final double scaled)
    {
        return LEFT + scaled / MAX_X * (WIDTH - RIGHT - LEFT);
    }

    private static double y(final double ms, final double[] yRange)
    {
        final double decades = Math.log10(Math.max(ms, 1e-6));
        final double share = Math.max(0, Math.min(1, (decades - yRange[0]) / (yRange[1] - yRange[0])));
        return HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP);
    }

    private static String trim(final double ms)
    {
        return ms >= 1 ? String.valueOf((long)ms) : String.format(Locale.ROOT, "%s", ms).replaceAll("0+$", "");
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

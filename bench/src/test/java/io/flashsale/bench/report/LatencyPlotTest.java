package io.flashsale.bench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyPlotTest
{
    private static Histogram spread(final long fromMicros, final long toMicros)
    {
        final Histogram h = new Histogram(3_600_000_000L, 3);
        for (long v = fromMicros; v <= toMicros; v += Math.max(1, (toMicros - fromMicros) / 10_000))
        {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void drawsOneLineAndOneLegendEntryPerSeriesWithSamples(@TempDir final Path folder) throws Exception
    {
        final Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("fast", spread(100, 2_000));
        series.put("slow", spread(1_000, 400_000));
        series.put("empty", new Histogram(3_600_000_000L, 3));

        final Path page = folder.resolve("latency.html");
        LatencyPlot.write(page, "a <title>", "machine", series);

        final String html = java.nio.file.Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("a &lt;title&gt;");
        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(html).contains(">fast<").contains(">slow<").doesNotContain(">empty<");
        assertThat(html).contains(">99.99%<").contains(">0.1<").contains(">1000<");
    }

    @Test
    void pointsRunFromTheMedianSideToTheMaximumOnThePercentileScale()
    {
        final var points = LatencyPlot.points(spread(1_000, 10_000));

        assertThat(points.get(0)[0]).isZero();
        assertThat(points.get(points.size() - 1)[1]).isEqualTo(10.0, org.assertj.core.data.Offset.offset(0.01));
        for (int i = 1; i < points.size(); i++)
        {
            assertThat(points.get(i)[0]).isGreaterThanOrEqualTo(points.get(i - 1)[0]);
            assertThat(points.get(i)[1]).isGreaterThanOrEqualTo(points.get(i - 1)[1]);
        }
    }
}

package io.flashsale.bench.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.scenario.Check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where drill reports go and how they are written (indented JSON). Stateless; any thread. */
public final class DrillReports
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private DrillReports()
    {
    }

    /** A fresh folder for one run of {@code drill}: {@code results/yyyyMMdd-HHmmss-drill}. */
    public static Path folder(final Path results, final String drill)
    {
        return results.resolve(LocalDateTime.now().format(STAMP) + "-" + drill);
    }

    public static void write(final Path file, final Object report) throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), report);
    }

    /** Exit code of a drill: 0 every check passed, 1 one failed, 3 none failed but one could not be judged (2 is a usage error). */
    public static int exitCode(final Check.Verdict verdict)
    {
        return switch (verdict)
        {
            case PASS -> 0;
            case FAIL -> 1;
            case NOT_JUDGED -> 3;
        };
    }

    /** The end of a drill's summary: each check on a line, then the verdict. */
    public static String checksAndVerdict(final List<Check> checks, final Check.Verdict verdict)
    {
        final StringBuilder out = new StringBuilder();
        for (final Check check : checks)
        {
            out.append(String.format("  %-10s %s: %s%n", check.label(), check.name(), check.detail()));
        }
        out.append("  verdict: ").append(verdict.label()).append('\n');
        return out.toString();
    }

    /** Step → outcome label → count, in first-seen order. */
    public static Map<String, Map<String, Long>> outcomes(final LoadStats stats)
    {
        final Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
        stats.steps().forEach((step, s) -> outcomes.put(step, s.outcomes()));
        return outcomes;
    }
}

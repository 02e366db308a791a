package io.flashsale.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code wrk} (closed loop) against a URL and reads its figures: requests per second
 * and the latency distribution it prints with {@code --latency}. The reference the generator's own
 * ceiling is held against. Main thread.
 */
public final class Wrk
{
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([\\d.]+)", Pattern.MULTILINE);
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    /** What wrk measured; latencies in microseconds (-1 when wrk did not print them). */
    public record Result(double requestsPerSecond, long p50Micros, long p90Micros, long p99Micros, String output)
    {
    }

    private Wrk()
    {
    }

    public static boolean installed()
    {
        return executable() != null;
    }

    private static Path executable()
    {
        for (final String dir : List.of("/usr/bin", "/usr/local/bin"))
        {
            final Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * @throws IllegalStateException when wrk is missing (scripts/bench-compare installs it) or fails
     */
    public static Result run(final String url, final int threads, final int connections, final Duration duration, final Path output)
        throws IOException, InterruptedException
    {
        final Path wrk = executable();
        if (wrk == null)
        {
            throw new IllegalStateException("wrk is not installed: apt-get install wrk (scripts/bench-compare installs it)");
        }
        final Process process = new ProcessBuilder(wrk.toString(), "-t" + threads, "-c" + connections,
            "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency", url)
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not finish in time; see " + output);
        }
        final String text = Files.readString(output);
        if (process.exitValue() != 0)
        {
            throw new IllegalStateException("wrk failed (exit " + process.exitValue() + "): " + text);
        }
        return parse(text);
    }

    static Result parse(final String text)
    {
        final Matcher rate = RATE.matcher(text);
        if (!rate.find())
        {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + text);
        }
        long p50 = -1;
        long p90 = -1;
        long p99 = -1;
        final Matcher m = PERCENTILE.matcher(text);
        while (m.find())
        {
            final double value = Double.parseDouble(m.group(2));
            final long micros = Math.round(switch (m.group(3))
            {
                case "us" -> value;
                case "ms" -> value * 1_000;
                default -> value * 1_000_000;
            });
            switch (m.group(1))
            {
                case "50" -> p50 = micros;
                case "90" -> p90 = micros;
                case "99" -> p99 = micros;
                default ->
                {
                }
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), p50, p90, p99, text);
    }
}

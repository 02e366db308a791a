package io.flashsale.bench.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches a server process's memory from outside: its resident set ({@code VmRSS} in
 * {@code /proc/PID/status}, split into its own memory and mapped files) and its heap after each
 * garbage collection (from the GC log the
 * server writes, {@code -Xlog:gc:file=...:time}), sampled on a thread of its own; and, on demand,
 * its live heap (a full GC through {@code jcmd PID GC.run}, then {@code GC.heap_info}).
 *
 * <p>{@link #start} and {@link #stop} from the drill's main thread; the samples are read after stop.
 */
public final class MemorySampler
{
    private static final Pattern GC_LINE = Pattern.compile("^\\[([^\\]]+)\\] GC\\(\\d+\\) .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final DateTimeFormatter GC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /**
     * One sample.
     *
     * @param heapAfterGcKb the heap just after the last collection before this sample (0 before the first)
     * @param gcs           collections so far
     */
    public record Sample(long wallMillis, long rssKb, long rssAnonKb, long rssFileKb, long heapAfterGcKb, long heapCommittedKb, long gcs)
    {
    }

    private final long pid;
    private final Path gcLog;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean running;
    private Thread thread;

    public MemorySampler(final long pid, final Path gcLog)
    {
        this.pid = pid;
        this.gcLog = gcLog;
    }

    /** Samples every {@code periodMillis} until {@link #stop}. */
    public void start(final long periodMillis)
    {
        running = true;
        thread = new Thread(() ->
        {
            while (running)
            {
                try
                {
                    final Sample sample = sample();
                    synchronized (samples)
                    {
                        samples.add(sample);
                    }
                    Thread.sleep(periodMillis);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                catch (final IOException gone)
                {
                    return; // the process ended
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    public List<Sample> stop() throws InterruptedException
    {
        running = false;
        if (thread != null)
        {
            thread.interrupt();
            thread.join(5_000);
        }
        synchronized (samples)
        {
            return List.copyOf(samples);
        }
    }

    /** The process's memory now. */
    public Sample sample() throws IOException
    {
        final long now = System.currentTimeMillis();
        long heapAfter = 0;
        long committed = 0;
        long gcs = 0;
        if (Files.exists(gcLog))
        {
            for (final String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8))
            {
                final Matcher gc = GC_LINE.matcher(line);
                if (gc.find() && OffsetDateTime.parse(gc.group(1), GC_TIME).toInstant().toEpochMilli() <= now)
                {
                    gcs++;
                    heapAfter = kb(gc.group(4), gc.group(5));
                    committed = kb(gc.group(6), gc.group(7));
                }
            }
        }
        return new Sample(now, status("VmRSS:"), status("RssAnon:"), status("RssFile:"), heapAfter, committed, gcs);
    }

    /** Resident set size in KiB, from /proc. */
    public long rssKb() throws IOException
    {
        return status("VmRSS:");
    }

    /**
     * A size in KiB from /proc/PID/status: VmRSS is everything resident; RssAnon the process's own
     * memory (heap, native); RssFile mapped files (the journal's memory-mapped cycle files among them).
     */
    private long status(final String field) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII))
        {
            if (line.startsWith(field))
            {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + field + " for pid " + pid);
    }

    /** The live heap in KiB: a full collection first (jcmd GC.run), then the heap's use (jcmd GC.heap_info). */
    public long liveHeapKb() throws IOException, InterruptedException
    {
        jcmd("GC.run");
        final Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find())
        {
            throw new IOException("jcmd GC.heap_info gave no heap use for pid " + pid);
        }
        return Long.parseLong(used.group(2));
    }

    private String jcmd(final String command) throws IOException, InterruptedException
    {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        final Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }

    private static long kb(final String value, final String unit)
    {
        final long n = Long.parseLong(value);
        return switch (unit)
        {
            case "K" -> n;
            case "M" -> n * 1024;
            default -> n * 1024 * 1024;
        };
    }
}

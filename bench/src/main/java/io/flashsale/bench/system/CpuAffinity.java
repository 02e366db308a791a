package io.flashsale.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the load generator and the server off each other's cores with Linux {@code taskset}, so
 * that on a small machine an overload measures the server, not the two fighting over the same
 * CPUs. Main thread, before the load starts.
 */
public final class CpuAffinity
{
    private CpuAffinity()
    {
    }

    /** {@code command} run on the CPUs listed ("1", "2-3"), or unchanged for none. */
    public static List<String> on(final String cpus, final List<String> command)
    {
        if (cpus == null || cpus.isBlank())
        {
            return command;
        }
        final List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(command);
        return pinned;
    }

    /** Moves every thread of this JVM (and the threads they start from now on) onto {@code cpus}. */
    public static void pinThisProcess(final String cpus) throws IOException, InterruptedException
    {
        if (cpus == null || cpus.isBlank())
        {
            return;
        }
        final Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true).start();
        final String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0)
        {
            throw new IllegalStateException("taskset could not pin the drill to CPUs " + cpus + ": " + output.strip());
        }
    }
}

package io.flashsale.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line that says what machine a figure ran on: cores, CPU model, memory, JVM. */
final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        String cpu = "unknown CPU";
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        catch (final IOException ex)
        {
            // not Linux: the rest still says enough
        }
        final long memoryGiB = ((com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() >> 30;
        return String.format("%d cores (%s), %d GiB, %s %s", Runtime.getRuntime().availableProcessors(), cpu, memoryGiB,
            System.getProperty("java.vm.name"), System.getProperty("java.version"));
    }
}

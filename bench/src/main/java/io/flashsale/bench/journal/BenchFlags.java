package io.flashsale.bench.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags Chronicle Queue needs, for the JMH forks: from the {@code flashsale.jvm.flags}
 * property when set, else from {@code scripts/jvm-flags} (run from the repository root).
 */
final class BenchFlags
{
    private BenchFlags()
    {
    }

    static String[] jvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        final String property = System.getProperty("flashsale.jvm.flags");
        if (property != null && !property.isBlank())
        {
            flags.addAll(Arrays.asList(property.trim().split("\\s+")));
        }
        else
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of("scripts", "jvm-flags")))
                {
                    if (!line.isBlank() && !line.startsWith("#"))
                    {
                        flags.add(line.trim());
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("set -Dflashsale.jvm.flags or run from the repository root (scripts/jvm-flags)", ex);
            }
            if (Runtime.version().feature() >= 23)
            {
                flags.add("--sun-misc-unsafe-memory-access=allow");
            }
        }
        return flags.toArray(String[]::new);
    }
}

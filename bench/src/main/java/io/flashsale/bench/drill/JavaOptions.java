package io.flashsale.bench.drill;

import java.util.Arrays;
import java.util.List;

/** JVM options given on the command line as one space-separated string. Stateless. */
public final class JavaOptions
{
    private JavaOptions()
    {
    }

    public static List<String> split(final String options)
    {
        return options == null || options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }
}

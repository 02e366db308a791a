package io.flashsale.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts a main class of this module in a child JVM with the test's class path and JVM flags. */
public final class ChildJvmLauncher
{
    private ChildJvmLauncher()
    {
    }

    public static ProcessBuilder builder(final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("flashsale.jvm.flags", "");
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command);
    }

    /** Runs to the end and returns the exit code; output goes to the test's own. */
    static int run(final Class<?> main, final String... args) throws IOException, InterruptedException
    {
        return builder(main, args).inheritIO().start().waitFor();
    }
}

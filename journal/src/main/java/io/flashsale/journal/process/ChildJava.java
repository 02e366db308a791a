package io.flashsale.journal.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line that starts another main class of this project in a child JVM: the same
 * {@code java}, the same class path, and the JVM flags Chronicle Queue and Agrona need (from the
 * {@code flashsale.jvm.flags} property the build gives tests, else this JVM's own flags, which the
 * launcher set from scripts/jvm-flags). Without those flags a child opens the journal read-only
 * or not at all, which is why this lives in the journal module: the journal's tests (a write torn
 * by a halting child) and the bench's drills and targets (the server, journal verify) all start
 * their children through it.
 *
 * <p>Stateless; any thread.
 */
public final class ChildJava
{
    private ChildJava()
    {
    }

    /** {@code java <flags> <extraJvmOptions> -cp <class path> <mainClass> <args>}. */
    public static List<String> command(final List<String> extraJvmOptions, final String mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Runs {@code main} to its end with its output on this process's own; returns its exit code. */
    public static int run(final List<String> extraJvmOptions, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        return new ProcessBuilder(command(extraJvmOptions, main.getName(), Arrays.asList(args))).inheritIO().start().waitFor();
    }

    static List<String> jvmFlags()
    {
        final String fromBuild = System.getProperty("flashsale.jvm.flags");
        if (fromBuild != null && !fromBuild.isBlank())
        {
            return Arrays.stream(fromBuild.trim().split("\\s+")).toList();
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(flag -> flag.startsWith("--add-") || flag.startsWith("--enable-native-access")
                || flag.startsWith("--sun-misc-unsafe-memory-access") || flag.startsWith("-Dchronicle."))
            .toList();
    }

    /** Surefire runs tests from a manifest-only jar; it keeps the real class path in a property. */
    static String classPath()
    {
        final String underSurefire = System.getProperty("surefire.test.class.path");
        return underSurefire != null && !underSurefire.isBlank() ? underSurefire : System.getProperty("java.class.path");
    }
}

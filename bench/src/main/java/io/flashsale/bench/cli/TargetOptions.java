package io.flashsale.bench.cli;

import io.flashsale.bench.baseline.RedisBaselineTarget;
import io.flashsale.bench.system.BareTarget;
import io.flashsale.bench.system.EdgeTarget;
import io.flashsale.bench.system.FlashsaleTarget;
import io.flashsale.bench.system.Target;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Which server a run drives and how it is started. */
final class TargetOptions
{
    /** The servers the bench can start. */
    enum Kind
    {
        flashsale,
        redis,
        bare
    }

    @Option(names = "--target", defaultValue = "flashsale",
        description = "the server: flashsale, redis (the Redis + Lua baseline), bare (Undertow \"ok\") (default ${DEFAULT-VALUE})")
    Kind target;

    @Option(names = "--server", defaultValue = "child",
        description = "flashsale as a child JVM (child) or inside the generator's JVM (in-process) (default ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--server-io-threads", defaultValue = "0", description = "Undertow IO threads of the server (0: one per core) (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--server-java-opts", defaultValue = "", description = "extra JVM options for server child processes, space separated")
    String javaOptions;

    @Option(names = "--no-admission", description = "turn flashsale's admission control off")
    boolean noAdmission;

    @Option(names = "--wait-strategy", description = "flashsale's ring wait strategy: PARKING, BLOCKING, SLEEPING, YIELDING, BUSY_SPIN (default: the server's)")
    String waitStrategy;

    @Option(names = "--stage-layout", description = "flashsale's ring stages: PARALLEL or SERIAL (default: the server's)")
    String stageLayout;

    @Option(names = "--results", defaultValue = "results", description = "folder under which each run gets its own folder (default ${DEFAULT-VALUE})")
    Path results;

    Target open(final Kind kind, final Path folder) throws Exception
    {
        return switch (kind)
        {
            case flashsale -> FlashsaleTarget.start(new FlashsaleTarget.Options(mode(), ioThreads, !noAdmission, waitStrategy, stageLayout, jvmOptions()), folder);
            case redis -> RedisBaselineTarget.start(folder, ioThreads, jvmOptions());
            case bare -> BareTarget.start(folder, ioThreads, jvmOptions());
        };
    }

    /** The edge deployment with the same knobs as flashsale's server: nginx, {@code edges} edges, their core. */
    Target openEdges(final int edges, final Path folder) throws Exception
    {
        return EdgeTarget.start(new FlashsaleTarget.Options(FlashsaleTarget.Mode.CHILD, ioThreads, !noAdmission, waitStrategy, stageLayout, jvmOptions()),
            edges, folder);
    }

    private FlashsaleTarget.Mode mode()
    {
        return switch (server)
        {
            case "child" -> FlashsaleTarget.Mode.CHILD;
            case "in-process" -> FlashsaleTarget.Mode.IN_PROCESS;
            default -> throw new IllegalArgumentException("--server must be child or in-process, was " + server);
        };
    }

    List<String> jvmOptions()
    {
        return javaOptions.isBlank() ? List.of() : Arrays.asList(javaOptions.trim().split("\\s+"));
    }
}

package io.flashsale.bench.drill;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill command line: its help, and refusals of bad input before any server starts. */
class DrillCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = DrillCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void helpNamesEveryDrill()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("crash", "overload", "crowd", "diskfull", "failover", "partition");
        assertThat(run("crash", "--help")).isZero();
        assertThat(out.toString()).contains("--cycles", "--sync");
    }

    @Test
    void helpShowsTheDefaultsTheSettingsHold()
    {
        assertThat(run("crash", "--help")).isZero();
        assertThat(run("overload", "--help")).isZero();
        assertThat(run("crowd", "--help")).isZero();
        assertThat(run("failover", "--help")).isZero();
        assertThat(run("partition", "--help")).isZero();
        assertThat(out.toString()).contains("sync or async (default sync)", "load-kill-restart cycles (default 4)", "distinct shoppers (default 2000)",
            "distinct shoppers, cycled (default 50000)", "distinct shoppers (default 1000000)");
    }

    @Test
    void withoutADrillItSaysWhichThereAre()
    {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("name a drill: crash, overload, crowd, diskfull, failover or partition");
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingStarts()
    {
        assertThat(run("crash", "--sync", "sometimes")).isEqualTo(2);
        assertThat(err.toString()).contains("--sync must be ASYNC, BATCH or BOTH");
        assertThat(run("failover", "--replication", "sometimes")).isEqualTo(2);
        assertThat(err.toString()).contains("--replication must be sync or async");
        assertThat(run("overload", "--multiple", "0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--multiple must be between 1 and 100");
        assertThat(run("crowd", "--shoppers", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--shoppers must be between 1000");
    }
}

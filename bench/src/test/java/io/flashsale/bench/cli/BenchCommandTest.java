package io.flashsale.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flashsale bench rush} from the command line to the results folder, server in-process. */
class BenchCommandTest
{
    @Test
    void aRushFromTheCommandLineWritesItsResultsFolderAndExitsZeroWhenTheBooksBalance(@TempDir final Path results) throws Exception
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setOut(new PrintWriter(out));

        final int exit = commandLine.execute("rush", "--server", "in-process", "--server-io-threads", "1", "--results", results.toString(),
            "--shoppers", "100", "--stock", "10", "--payment-window", "1", "--think", "50ms", "--jitter", "100ms",
            "--connections", "8", "--duration", "20s", "--warmup", "500ms");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("rush against flashsale").contains("time to sell out").contains("warm-up").contains("PASS  flashsale journal verify --journal").contains("PASS  (results:");
        final Path run;
        try (Stream<Path> runs = Files.list(results))
        {
            run = runs.filter(p -> p.getFileName().toString().endsWith("-rush-flashsale")).findFirst().orElseThrow();
        }
        for (final String file : new String[] {"summary.txt", "summary.json", "all.hgrm", "key.hgrm", "purchase.hgrm", "latency.html", "flashsale.yml"})
        {
            assertThat(run.resolve(file)).as(file).isNotEmptyFile();
        }
        assertThat(run.resolve("summary.json")).content().contains("\"passed\" : true");
    }

    @Test
    void nonsenseOptionsAreAUsageError()
    {
        final CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setErr(new PrintWriter(new StringWriter()));

        assertThat(commandLine.execute("rush", "--duration", "soon")).isEqualTo(2);
        assertThat(commandLine.execute("no-such-scenario")).isEqualTo(2);
    }
}

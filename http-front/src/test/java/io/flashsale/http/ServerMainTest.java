package io.flashsale.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line refuses a bad configuration with the key and the rule, before binding anything. */
class ServerMainTest
{
    @TempDir
    Path dir;

    @Test
    void serveRefusesABadConfigurationAndSaysWhichKey() throws Exception
    {
        final Path config = dir.resolve("flashsale.yml");
        Files.writeString(config, "server:\n  port: 70000\nlimits:\n  maxInFlight: 0\n");
        final StringWriter err = new StringWriter();
        final java.io.PrintStream original = System.err;
        final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        final int exit;
        try
        {
            exit = new CommandLine(new ServerMain()).setErr(new PrintWriter(err)).execute("serve", "--config", config.toString());
        }
        finally
        {
            System.setErr(original);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString())
            .contains("cannot start")
            .contains("server.port: must be between 0 and 65535, was 70000")
            .contains("limits.maxInFlight: must be at least 1, was 0");
    }

    @Test
    void serveRefusesAMissingConfigFile()
    {
        final java.io.PrintStream original = System.err;
        final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try
        {
            assertThat(new CommandLine(new ServerMain()).execute("serve", "--config", dir.resolve("nope.yml").toString())).isEqualTo(2);
        }
        finally
        {
            System.setErr(original);
        }
        assertThat(captured.toString()).contains("nope.yml: does not exist");
    }

    @Test
    void helpListsTheSubcommands()
    {
        final StringWriter out = new StringWriter();
        assertThat(new CommandLine(new ServerMain()).setOut(new PrintWriter(out)).execute("--help")).isZero();
        assertThat(out.toString()).contains("serve").contains("demo");
    }
}

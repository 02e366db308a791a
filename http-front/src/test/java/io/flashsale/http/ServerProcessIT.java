package io.flashsale.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The server as an operator runs it: a child JVM on the class path {@code scripts/flashsale serve}
 * uses (printed by {@code scripts/flashsale classpath serve}), which holds no benchmark jars, and
 * whose log lines, Undertow's, XNIO's, Chronicle's and the app's, come in one format. Runs after
 * package (failsafe), when http-front/target/lib is filled.
 */
class ServerProcessIT
{
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** 2026-11-29T23:12:29.123Z INFO  [main] io.undertow - starting server: Undertow - 2.3.27.Final */
    private static final Pattern TEXT_LINE =
        Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\[[^\\]]+\\] (\\S+) - .*");
    private static final Pattern SERVING = Pattern.compile("flashsale serving on port (\\d+)");
    private static final String DISK_MONITOR = "net.openhft.chronicle.threads.DiskSpaceMonitor";

    @TempDir
    Path dir;

    @Test
    void serveClassPathHoldsNoBenchmarkJars() throws Exception
    {
        final List<Path> entries = classPath("serve");
        assertThat(entries).allMatch(Files::exists, "exists");
        assertThat(entries).contains(ROOT.resolve("http-front/target/classes"));
        assertThat(names(entries))
            .noneMatch(name -> name.contains("jmh") || name.contains("netty") || name.contains("lettuce") || name.contains("hdrhistogram"))
            .noneMatch(name -> name.contains("flashsale-bench"))
            .anyMatch(name -> name.startsWith("undertow-core-"))
            .anyMatch(name -> name.startsWith("flashsale-journal-"))
            .anyMatch(name -> name.startsWith("logback-classic-"));
        assertThat(classPath("demo")).isEqualTo(entries);
        assertThat(classPath("edge")).isEqualTo(entries);
    }

    @Test
    void journalClassPathHoldsNeitherTheServerNorTheBenchmarks() throws Exception
    {
        final List<Path> entries = classPath("journal");
        assertThat(entries).contains(ROOT.resolve("journal/target/classes"));
        assertThat(names(entries))
            .noneMatch(name -> name.contains("undertow") || name.contains("jmh") || name.contains("netty") || name.contains("lettuce"))
            .anyMatch(name -> name.startsWith("chronicle-queue-"));
    }

    @Test
    void textLinesFromUndertowXnioChronicleAndTheAppShareOneFormat() throws Exception
    {
        final List<String> log = runServerUntilChronicleWarns("text");
        final List<String> loggers = new ArrayList<>();
        for (final String line : log)
        {
            final Matcher matcher = TEXT_LINE.matcher(line);
            assertThat(matcher.matches()).as("a line in the one format: %s", line).isTrue();
            loggers.add(matcher.group(2));
        }
        assertThat(loggers).contains("io.undertow", "org.xnio", "io.flashsale.http.FlashsaleServer", "io.flashsale.journal.DurableEngine");
        assertThat(loggers).filteredOn(DISK_MONITOR::equals)
            .as("Chronicle warns each second; one line gets through")
            .hasSize(1);
        assertThat(log).anyMatch(line -> line.contains("ready on port")).anyMatch(line -> line.endsWith(" - stopped"));
    }

    @Test
    void jsonModeWritesOneJsonObjectPerLine() throws Exception
    {
        final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        final List<String> loggers = new ArrayList<>();
        for (final String line : runServerUntilChronicleWarns("json"))
        {
            final JsonNode event = json.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("@timestamp").asText()).as(line).endsWith("Z");
            assertThat(event.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.path("message").isTextual()).as(line).isTrue();
            loggers.add(event.path("logger_name").asText());
        }
        assertThat(loggers).contains("io.undertow", "org.xnio", "io.flashsale.http.FlashsaleServer", "io.flashsale.journal.DurableEngine", DISK_MONITOR);
    }

    @Test
    void anUnknownLogFormatStopsTheServerBeforeItStarts() throws Exception
    {
        final Process server = start("xml");
        assertThat(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", err().lines())).contains("FLASHSALE_LOG_FORMAT").contains("text or json").contains("'xml'");
        assertThat(out().lines()).isEmpty();
    }

    /**
     * Starts the server with Chronicle's disk-space threshold at 100 % (so its monitor warns on every
     * poll, once a second), checks it answers, waits for Chronicle's warning and a few polls more,
     * stops it with SIGTERM as an operator would, and returns everything it logged.
     */
    private List<String> runServerUntilChronicleWarns(final String format) throws Exception
    {
        final Process server = start(format);
        final Output out = out();
        final Output err = err();
        try
        {
            final String serving = out.await(line -> SERVING.matcher(line).find(), server, err);
            final Matcher port = SERVING.matcher(serving);
            assertThat(port.find()).isTrue();
            final HttpClient http = HttpClient.newHttpClient();
            for (final String path : List.of("/health/ready", "/metrics"))
            {
                final HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
            }
            err.await(line -> line.contains(DISK_MONITOR), server, err);
            // The monitor polls each second: without the throttle, these seconds would add lines.
            Thread.sleep(3_000);
        }
        finally
        {
            server.destroy();
            if (!server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            {
                server.destroyForcibly();
                fail("the server did not stop on SIGTERM; its log:\n" + String.join("\n", err.lines()));
            }
        }
        assertThat(out.lines()).contains("flashsale: stopping (draining the ring)");
        return err.lines();
    }

    private Process start(final String format) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("flashsale.jvm.flags", "").trim().split("\\s+")));
        // The production level, whatever the environment of the build says.
        command.add("-Dflashsale.log.level=INFO");
        command.add("-Dchronicle.disk.monitor.threshold.percent=100");
        // One Chronicle warning an hour: exactly one in the log, however slow the machine is today.
        command.add("-Dflashsale.log.repeatEverySeconds=3600");
        command.add("-cp");
        command.add(String.join(":", classPath("serve").stream().map(Path::toString).toList()));
        command.add(ServerMain.class.getName());
        command.addAll(List.of("serve", "--port", "0", "--host", "127.0.0.1", "--journal", dir.resolve("journal").toString()));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLASHSALE_LOG_FORMAT", format);
        builder.environment().put("FLASHSALE_AUTH_SECRET", "a-test-secret-of-at-least-thirty-two-bytes-long");
        builder.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        return builder.start();
    }

    private Output out()
    {
        return new Output(dir.resolve("stdout"));
    }

    private Output err()
    {
        return new Output(dir.resolve("stderr"));
    }

    /** What {@code scripts/flashsale classpath ROLE} prints, entry by entry. */
    private static List<Path> classPath(final String role) throws IOException, InterruptedException
    {
        final Process launcher = new ProcessBuilder("bash", ROOT.resolve("scripts/flashsale").toString(), "classpath", role)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final String printed = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(launcher.waitFor()).as("scripts/flashsale classpath %s", role).isZero();
        return Arrays.stream(printed.split(":")).map(Path::of).toList();
    }

    private static List<String> names(final List<Path> entries)
    {
        return entries.stream().map(entry -> entry.getFileName().toString().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * A child's output, sent to a file: reading a pipe while the process exits can lose its last
     * lines (the JDK closes the pipe under the reader), and those are the shutdown's.
     */
    private static final class Output
    {
        private final Path file;

        Output(final Path file)
        {
            this.file = file;
        }

        /** The lines written so far; a line still being written is left out. */
        List<String> lines() throws IOException
        {
            final String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        }

        /** The first line that matches; fails if the server exits or takes longer than {@link #PATIENCE}. */
        String await(final Predicate<String> wanted, final Process server, final Output log) throws IOException, InterruptedException
        {
            final long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline)
            {
                for (final String line : lines())
                {
                    if (wanted.test(line))
                    {
                        return line;
                    }
                }
                if (!server.isAlive())
                {
                    fail("the server exited (" + server.exitValue() + "); its log:\n" + String.join("\n", log.lines()));
                }
                Thread.sleep(50);
            }
            return fail("no such line within " + PATIENCE + "; the server's log:\n" + String.join("\n", log.lines()));
        }
    }
}

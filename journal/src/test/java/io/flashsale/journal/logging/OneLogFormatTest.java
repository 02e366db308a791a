package io.flashsale.journal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** logback.xml gives every facade the process uses (SLF4J, java.util.logging, System.Logger) one format. */
class OneLogFormatTest
{
    /** 2026-11-29T23:12:29.123Z WARN  [main] some.logger - message */
    static final Pattern TEXT_LINE =
        Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\[[^\\]]+\\] \\S+ - .*");

    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() throws JoranException
    {
        System.setErr(originalErr);
        System.clearProperty(ProcessLogging.FORMAT_PROPERTY);
        configure();
    }

    @Test
    void textGivesOneLineFormatToEveryFacade() throws Exception
    {
        final List<String> lines = logThroughEveryFacade("text", false);
        assertThat(lines).hasSize(3).allMatch(line -> TEXT_LINE.matcher(line).matches(), "matches " + TEXT_LINE);
        assertThat(lines.get(0)).contains("WARN  [main] test.slf4j - from slf4j");
        assertThat(lines.get(1)).contains("WARN  [main] test.jul - from java.util.logging");
        assertThat(lines.get(2)).contains("WARN  [main] test.system - from System.Logger");
    }

    @Test
    void jsonGivesOneParseableObjectPerLineStackTraceIncluded() throws Exception
    {
        final List<String> lines = logThroughEveryFacade("json", true);
        assertThat(lines).hasSize(4);
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> events = new ArrayList<>();
        for (final String line : lines)
        {
            final JsonNode event = json.readTree(line);
            assertThat(event.has("@timestamp")).as(line).isTrue();
            assertThat(event.get("@timestamp").asText()).as(line).endsWith("Z");
            assertThat(event.get("thread_name").asText()).isEqualTo("main");
            events.add(event);
        }
        assertThat(events).extracting(e -> e.get("logger_name").asText())
            .containsExactly("test.slf4j", "test.jul", "test.system", "test.slf4j");
        assertThat(events).extracting(e -> e.get("message").asText())
            .containsExactly("from slf4j", "from java.util.logging", "from System.Logger", "failed");
        assertThat(events).extracting(e -> e.get("level").asText()).containsExactly("WARN", "WARN", "WARN", "ERROR");
        assertThat(events.get(3).get("stack_trace").asText()).contains("java.lang.IllegalStateException: boom");
    }

    private List<String> logThroughEveryFacade(final String format, final boolean withException) throws JoranException
    {
        System.setProperty(ProcessLogging.FORMAT_PROPERTY, format);
        ProcessLogging.install();
        configure();
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerFactory.getLogger("test.slf4j").warn("from slf4j");
        java.util.logging.Logger.getLogger("test.jul").warning("from java.util.logging");
        System.getLogger("test.system").log(System.Logger.Level.WARNING, "from System.Logger");
        if (withException)
        {
            LoggerFactory.getLogger("test.slf4j").error("failed", new IllegalStateException("boom"));
        }
        System.setErr(originalErr);
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Reads logback.xml again, as a process start does, so the format property takes effect. */
    private static void configure() throws JoranException
    {
        final LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        context.reset();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(ProcessLogging.class.getResource("/logback.xml"));
    }
}

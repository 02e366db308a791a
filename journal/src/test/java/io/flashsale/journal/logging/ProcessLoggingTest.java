package io.flashsale.journal.logging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessLoggingTest
{
    @Test
    void textUnlessToldOtherwise()
    {
        assertThat(ProcessLogging.format(null, Map.of())).isEqualTo("text");
        assertThat(ProcessLogging.format(null, Map.of(ProcessLogging.FORMAT_ENV, ""))).isEqualTo("text");
    }

    @Test
    void jsonFromTheEnvironmentInAnyCase()
    {
        assertThat(ProcessLogging.format(null, Map.of(ProcessLogging.FORMAT_ENV, "JSON"))).isEqualTo("json");
    }

    @Test
    void thePropertyWinsOverTheEnvironment()
    {
        assertThat(ProcessLogging.format("text", Map.of(ProcessLogging.FORMAT_ENV, "json"))).isEqualTo("text");
    }

    @Test
    void anUnknownFormatIsRefusedWithWhatIsAllowed()
    {
        assertThatThrownBy(() -> ProcessLogging.format(null, Map.of(ProcessLogging.FORMAT_ENV, "xml")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("FLASHSALE_LOG_FORMAT")
            .hasMessageContaining("text or json")
            .hasMessageContaining("'xml'");
    }
}

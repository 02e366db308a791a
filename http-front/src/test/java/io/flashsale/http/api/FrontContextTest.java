package io.flashsale.http.api;

import io.flashsale.http.bridge.RingBridge;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.metrics.FrontMetrics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The front's context is set, concluded once, and read: it says what is missing and refuses changes after. */
class FrontContextTest
{
    private static final byte[] SECRET = "front-context-test-secret-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    private static FrontContext complete()
    {
        return new FrontContext()
            .config(new ServerConfig())
            .clocks(() -> 1_000L, System::nanoTime)
            .secret(SECRET)
            .metrics(new FrontMetrics());
    }

    @Test
    void concludeBuildsTheSharedServicesAndALocalRingBridge()
    {
        final FrontContext context = complete().conclude();
        assertThat(context.tokens()).isNotNull();
        assertThat(context.responses()).isNotNull();
        assertThat(context.gateRefusals()).isNotNull();
        assertThat(context.bridge()).isInstanceOf(RingBridge.class);
        assertThat(context.clockMillis().getAsLong()).isEqualTo(1_000L);
        // Not ready until the core is handed over.
        assertThat(context.pipeline()).isNull();
        assertThat(context.bridge().isReady()).isFalse();
        assertThat(context.bridge().isAccepting()).isFalse();
    }

    @Test
    void concludeNamesWhatIsMissing()
    {
        assertThatThrownBy(() -> new FrontContext().clocks(() -> 0, System::nanoTime).secret(SECRET).metrics(new FrontMetrics()).conclude())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("config");
        assertThatThrownBy(() -> new FrontContext().config(new ServerConfig()).clocks(() -> 0, System::nanoTime).metrics(new FrontMetrics()).conclude())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("secret");
    }

    @Test
    void aConcludedContextRefusesChanges()
    {
        final FrontContext context = complete().conclude();
        assertThatThrownBy(() -> context.demo(true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(context::conclude).isInstanceOf(IllegalStateException.class);
    }
}

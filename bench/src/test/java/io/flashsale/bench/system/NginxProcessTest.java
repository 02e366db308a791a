package io.flashsale.bench.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's nginx (scripts/test installs it) with the generated configuration, in front of two
 * real Undertow servers: it balances, routes around a dead upstream, and when none is left answers
 * 503 with Retry-After and a problem body instead of its own HTML 502.
 */
class NginxProcessTest
{
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void routesAroundADeadUpstreamAndAnswersAProblemWhenNoneIsLeft(@TempDir final Path folder) throws Exception
    {
        assertThat(Files.isExecutable(NginxProcess.BINARY))
            .as("nginx is not installed: run scripts/ensure-test-packages (scripts/test does)").isTrue();
        try (BareTarget first = BareTarget.start(folder.resolve("a"), 1, List.of());
            BareTarget second = BareTarget.start(folder.resolve("b"), 1, List.of());
            NginxProcess nginx = NginxProcess.start(new NginxProcess.Layout("127.0.0.1", 0,
                List.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port()), null), folder.resolve("nginx")))
        {
            for (int i = 0; i < 20; i++)
            {
                assertThat(get(nginx, "/api/time").statusCode()).isEqualTo(200);
            }

            first.close();
            for (int i = 0; i < 20; i++)
            {
                assertThat(get(nginx, "/api/time").statusCode()).as("request %d after one upstream died", i).isEqualTo(200);
            }

            second.close();
            final HttpResponse<String> none = get(nginx, "/api/time");
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(none.body()).contains("\"outcome\":\"EDGE_UNAVAILABLE\"", "same Idempotency-Key");
        }
    }

    private HttpResponse<String> get(final NginxProcess nginx, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(nginx.base() + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}

package io.flashsale.bench.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few single requests a drill makes outside its load (probes, spot checks), with the JDK's
 * blocking client. Main thread.
 */
public final class DrillHttp
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public DrillHttp(final String base)
    {
        this.base = base;
    }

    /** One answer: status and body. */
    public record Reply(int status, String body)
    {
        public JsonNode json()
        {
            try
            {
                return JSON.readTree(body);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("not JSON: " + body, ex);
            }
        }
    }

    public Reply get(final String path, final String authorization) throws IOException, InterruptedException
    {
        return send("GET", path, authorization, null);
    }

    /**
     * @param headers further headers as name, value pairs
     */
    public Reply send(final String method, final String path, final String authorization, final String jsonBody, final String... headers)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(15))
            .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        if (jsonBody != null)
        {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }
}

package io.flashsale.http.reply;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Writes one JSON document to bytes with Jackson's streaming generator. Any thread. */
public final class JsonOut
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonOut()
    {
    }

    @FunctionalInterface
    public interface Body
    {
        void write(JsonGenerator json) throws IOException;
    }

    public static byte[] object(final Body body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public static byte[] array(final Body elements)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            json.writeStartArray();
            elements.write(json);
            json.writeEndArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public static String instant(final long epochMillis)
    {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}

package io.flashsale.http.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request body read strictly: one flat JSON object of scalar fields, nothing before or after it,
 * no duplicate or unknown keys. Typed getters check presence, type and range and say exactly what
 * is wrong. Every API body is this shape, so one small reader on Jackson's streaming parser serves
 * all of them. IO threads; one instance per request.
 */
public final class JsonFields
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final Map<String, Object> values = new HashMap<>(8);

    private JsonFields()
    {
    }

    /** Parses the body; only the names in {@code allowed} may appear. */
    public static JsonFields parse(final byte[] body, final Set<String> allowed) throws BadRequest
    {
        if (body.length == 0)
        {
            throw new BadRequest("the request body is empty; expected a JSON object");
        }
        final JsonFields fields = new JsonFields();
        try (JsonParser parser = FACTORY.createParser(body))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new BadRequest("the request body must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                if (!allowed.contains(name))
                {
                    throw new BadRequest("unknown field '" + printable(name) + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
                }
                fields.values.put(name, scalar(parser, parser.nextToken(), name));
            }
            if (token != JsonToken.END_OBJECT)
            {
                throw new BadRequest("the request body is not a complete JSON object");
            }
            if (parser.nextToken() != null)
            {
                throw new BadRequest("unexpected content after the JSON object");
            }
        }
        catch (final JsonParseException ex)
        {
            throw new BadRequest("malformed JSON at line " + ex.getLocation().getLineNr() + ", column " +
                ex.getLocation().getColumnNr() + ": " + ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            throw new BadRequest("malformed JSON: " + ex.getMessage());
        }
        return fields;
    }

    private static Object scalar(final JsonParser parser, final JsonToken token, final String name) throws IOException, BadRequest
    {
        if (token == null)
        {
            throw new BadRequest("the request body ends inside field '" + name + "'");
        }
        return switch (token)
        {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE, VALUE_FALSE -> token == JsonToken.VALUE_TRUE;
            case VALUE_NULL -> Null.NULL;
            case START_OBJECT, START_ARRAY -> throw new BadRequest("field '" + name + "' must be a plain value, not an " +
                (token == JsonToken.START_OBJECT ? "object" : "array"));
            default -> throw new BadRequest("field '" + name + "' has an unexpected value");
        };
    }

    /** Marks an explicit JSON null, which no field accepts. */
    private enum Null
    {
        NULL
    }

    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    public long requireLong(final String name, final long min, final long max) throws BadRequest
    {
        final Object value = require(name);
        if (!(value instanceof BigInteger number))
        {
            throw new BadRequest("field '" + name + "' must be an integer, was " + describe(value));
        }
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0)
        {
            throw new BadRequest("field '" + name + "' must be between " + min + " and " + max + ", was " + number);
        }
        return number.longValue();
    }

    public String requireString(final String name, final int maxUtf8Bytes) throws BadRequest
    {
        final Object value = require(name);
        if (!(value instanceof String text))
        {
            throw new BadRequest("field '" + name + "' must be a string, was " + describe(value));
        }
        if (text.isBlank())
        {
            throw new BadRequest("field '" + name + "' must not be empty");
        }
        final int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxUtf8Bytes)
        {
            throw new BadRequest("field '" + name + "' must be at most " + maxUtf8Bytes + " bytes of UTF-8, was " + bytes);
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (Character.isISOControl(text.charAt(i)))
            {
                throw new BadRequest("field '" + name + "' must not contain control characters");
            }
        }
        return text;
    }

    public Instant requireInstant(final String name) throws BadRequest
    {
        final Object value = require(name);
        if (!(value instanceof String text))
        {
            throw new BadRequest("field '" + name + "' must be an ISO-8601 instant string such as 2030-01-01T12:00:00Z, was " + describe(value));
        }
        try
        {
            return Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw new BadRequest("field '" + name + "' is not an ISO-8601 instant (e.g. 2030-01-01T12:00:00Z): '" + printable(text) + "'");
        }
    }

    private Object require(final String name) throws BadRequest
    {
        final Object value = values.get(name);
        if (value == null)
        {
            throw new BadRequest("field '" + name + "' is required");
        }
        if (value == Null.NULL)
        {
            throw new BadRequest("field '" + name + "' must not be null");
        }
        return value;
    }

    private static String describe(final Object value)
    {
        if (value instanceof String text)
        {
            return "the string \"" + printable(text) + "\"";
        }
        if (value instanceof Boolean)
        {
            return "a boolean";
        }
        if (value == Null.NULL)
        {
            return "null";
        }
        return value.toString();
    }

    /** Echo at most 40 characters of client text, without control characters. */
    public static String printable(final String text)
    {
        final String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

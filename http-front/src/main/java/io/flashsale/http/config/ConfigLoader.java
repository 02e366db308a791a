package io.flashsale.http.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads the one YAML configuration file into a {@link ServerConfig}, turning Jackson's errors into
 * messages that name the key and say what is wrong. Main thread, at start-up.
 */
public final class ConfigLoader
{
    private ConfigLoader()
    {
    }

    /** The defaults when {@code file} is null; otherwise the file over the defaults. Not yet validated. */
    public static ServerConfig load(final Path file)
    {
        if (file == null)
        {
            return new ServerConfig();
        }
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException("config file " + file + ": does not exist");
        }
        catch (final IOException ex)
        {
            throw new ConfigException("config file " + file + ": cannot be read (" + ex.getMessage() + ")");
        }
        return parse(bytes, file.toString());
    }

    static ServerConfig parse(final byte[] yaml, final String source)
    {
        final ObjectMapper mapper = mapper();
        try
        {
            // An empty file (or only comments) means "all defaults"; Jackson calls that an error.
            final com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull())
            {
                return new ServerConfig();
            }
            return mapper.readValue(yaml, ServerConfig.class);
        }
        catch (final UnrecognizedPropertyException ex)
        {
            final String known = ex.getKnownPropertyIds() == null ? "" :
                " (known keys here: " + ex.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(source + ": unknown key '" + path(ex) + "'" + known);
        }
        catch (final InvalidFormatException ex)
        {
            throw new ConfigException(source + ": " + path(ex) + ": '" + ex.getValue() + "' is not a valid " + simpleType(ex.getTargetType()));
        }
        catch (final MismatchedInputException ex)
        {
            throw new ConfigException(source + ": " + path(ex) + ": expected " + simpleType(ex.getTargetType()) + location(ex));
        }
        catch (final JsonProcessingException ex)
        {
            throw new ConfigException(source + ": not valid YAML" + location(ex) + ": " + ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            throw new ConfigException(source + ": cannot be read (" + ex.getMessage() + ")");
        }
    }

    private static ObjectMapper mapper()
    {
        final JsonMapper mapper = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
        // "port: abc" or "port: 1.5" must fail, not be coerced.
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private static String path(final JsonMappingException ex)
    {
        return ex.getPath().stream()
            .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    }

    private static String location(final JsonProcessingException ex)
    {
        return ex.getLocation() == null ? "" : " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
    }

    private static String simpleType(final Class<?> type)
    {
        if (type == null)
        {
            return "value";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class)
        {
            return "an integer";
        }
        if (type == double.class || type == Double.class)
        {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class)
        {
            return "true or false";
        }
        if (type == String.class)
        {
            return "a string";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }
}

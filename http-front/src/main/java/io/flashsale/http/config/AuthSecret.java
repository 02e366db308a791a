package io.flashsale.http.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Finds the HS256 secret that signs and verifies tokens, so that it never has to sit in the YAML.
 * Precedence: the {@code FLASHSALE_AUTH_SECRET} environment variable (UTF-8 bytes), then
 * {@code auth.secretFile}, then {@code auth.secret}. Main thread, at start-up.
 */
public final class AuthSecret
{
    public static final String ENV = "FLASHSALE_AUTH_SECRET";
    /** RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
    public static final int MIN_BYTES = 32;

    private final byte[] bytes;
    private final String source;

    private AuthSecret(final byte[] bytes, final String source)
    {
        this.bytes = bytes;
        this.source = source;
    }

    public static AuthSecret of(final byte[] bytes, final String source)
    {
        if (bytes.length < MIN_BYTES)
        {
            throw new ConfigException("JWT secret from " + source + ": must be at least " + MIN_BYTES + " bytes, was " + bytes.length);
        }
        return new AuthSecret(bytes.clone(), source);
    }

    /**
     * @throws ConfigException when no secret is configured (the server refuses to start) or it is too short
     */
    public static AuthSecret resolve(final ServerConfig.Auth auth, final Map<String, String> environment)
    {
        final String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty())
        {
            return of(fromEnv.getBytes(StandardCharsets.UTF_8), "environment variable " + ENV);
        }
        if (auth.secretFile != null && !auth.secretFile.isBlank())
        {
            final Path file = Path.of(auth.secretFile);
            try
            {
                return of(stripNewline(Files.readAllBytes(file)), "auth.secretFile " + file);
            }
            catch (final IOException ex)
            {
                throw new ConfigException("auth.secretFile: cannot read " + file + " (" + ex + ")");
            }
        }
        if (auth.secret != null && !auth.secret.isEmpty())
        {
            return of(auth.secret.getBytes(StandardCharsets.UTF_8), "auth.secret in the config");
        }
        throw new ConfigException("no JWT secret configured: set the environment variable " + ENV +
            " (at least " + MIN_BYTES + " bytes), or auth.secretFile in the config, or --secret-file; the server will not start without one");
    }

    private static byte[] stripNewline(final byte[] raw)
    {
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r'))
        {
            end--;
        }
        return Arrays.copyOf(raw, end);
    }

    public byte[] bytes()
    {
        return bytes.clone();
    }

    /** Where the secret came from, for the start-up log (never the secret itself). */
    public String source()
    {
        return source;
    }
}

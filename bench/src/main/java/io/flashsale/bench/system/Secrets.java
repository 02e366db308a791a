package io.flashsale.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** A fresh HS256 secret per run, written where the server reads it. Any thread. */
public final class Secrets
{
    private Secrets()
    {
    }

    /** 32 random bytes as 43 base64url characters; the secret is the characters' UTF-8 bytes, as the server reads them. */
    public static byte[] random()
    {
        final byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the secret to a file only its owner may read. */
    public static Path write(final Path file, final byte[] secret) throws IOException
    {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, secret);
        return file;
    }
}

package io.flashsale.journal.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 cluster for the feed's tests, run by {@code scripts/postgres-test} (Debian's
 * binaries, loopback, a free port, data in a temp folder, as the postgres user when root). One
 * shared cluster serves the module's test run and is removed when the JVM exits; a test that stops
 * its database on purpose starts its own.
 */
final class TestPostgres implements AutoCloseable
{
    private static final Path SCRIPT = Path.of("..", "scripts", "postgres-test").toAbsolutePath().normalize();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static TestPostgres shared;

    private final Path dir;
    private final String jdbcUrl;

    private TestPostgres(final Path dir, final String jdbcUrl)
    {
        this.dir = dir;
        this.jdbcUrl = jdbcUrl;
    }

    /** The module's cluster, started on first use. */
    static synchronized TestPostgres shared()
    {
        if (shared == null)
        {
            shared = startNew();
            final TestPostgres cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-test-down"));
        }
        return shared;
    }

    /** A cluster of the caller's own; close it. */
    static TestPostgres startNew()
    {
        try
        {
            final Path dir = Files.createTempDirectory("flashsale-pg-");
            final String url = script("up", dir.toString());
            return new TestPostgres(dir, url.trim());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start PostgreSQL with " + SCRIPT + ": " + ex.getMessage(), ex);
        }
    }

    private static String script(final String... args) throws IOException
    {
        final String[] command = new String[args.length + 1];
        command[0] = SCRIPT.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    String jdbcUrl()
    {
        return jdbcUrl;
    }

    /** A schema name no other test uses. */
    static String newSchema(final String prefix)
    {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    }

    Connection connect() throws SQLException
    {
        return DriverManager.getConnection(jdbcUrl);
    }

    void execute(final String sql) throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    /** Stops the server (fast shutdown), keeping its data and port. */
    void stopServer() throws IOException
    {
        script("stop", dir.toString());
    }

    /** Starts it again on the same port. */
    void startServer() throws IOException
    {
        script("up", dir.toString());
    }

    @Override
    public void close()
    {
        try
        {
            script("down", dir.toString());
        }
        catch (final IOException ex)
        {
            System.err.println("postgres-test down failed: " + ex.getMessage());
        }
    }
}

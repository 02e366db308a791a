package io.flashsale.bench.system;

import java.nio.file.Path;

/**
 * A server the load generator drives: where it listens, the HS256 secret its tokens are minted
 * with, whether it keeps books the generator can check (the admin API), and its journal. Closing
 * a target stops the server (and whatever it started) and waits for it.
 *
 * <p>Opened and closed by the bench command's main thread.
 */
public interface Target extends AutoCloseable
{
    /** A short name for tables and file names: "flashsale", "redis-baseline", "bare". */
    String name();

    /** How it runs (child process, in-process, external), for the report. */
    String description();

    /** Every target listens on loopback: load never leaves the machine. */
    default String host()
    {
        return "127.0.0.1";
    }

    int port();

    /** The secret shopper and admin tokens are signed with. */
    byte[] secret();

    /** Whether the target answers the admin API ({@code POST /admin/sales}, {@code GET /admin/sales/{id}}). */
    boolean keepsBooks();

    /** The server's journal directory, to verify after it stopped; null when it keeps none. */
    default Path journalDirectory()
    {
        return null;
    }

    /**
     * Waits until every front that answers shoppers shows sale {@code saleId} with
     * {@code available} units (any number when negative). A server that answers from its own
     * books shows it at once; an edge learns of a sale from the core's next push.
     */
    default void awaitSaleView(final long saleId, final long available) throws Exception
    {
    }

    @Override
    void close();
}

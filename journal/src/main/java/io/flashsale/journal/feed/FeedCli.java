package io.flashsale.journal.feed;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code flashsale feed}: the order feed's command line. Main thread. */
@Command(
    name = "flashsale feed",
    mixinStandardHelpOptions = true,
    version = "flashsale feed 0.1",
    description = {
        "Delivers every sale, reservation, payment, cancellation and expiry in a journal to PostgreSQL, exactly once.",
        "",
        "Follows the journal read-only (beside the server on the same folder, on a standby's journal, or after the sale) and " +
            "replays it through its own copy of the engine, so it knows every outcome without the server's help. Writes the tables " +
            "<schema>.sales, orders, order_events and feed_cursor (created and migrated by Flyway). A batch of records and the " +
            "cursor are written in one transaction: after a crash it resumes where the database says, and no record is applied twice.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:delivered up to the journal's end (or stopped by a signal with --follow)",
        "1:a damaged journal record, a database that refused a batch, or another feed on the same schema",
        "2:usage error, or a missing or unreadable journal",
        "3:the database's cursor belongs to another journal (or to records this journal lacks): use --from-start",
        "4:the database cannot be reached at start",
        "5:the schema was migrated by a newer feed"})
public final class FeedCli implements Callable<Integer>
{
    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "the data folder (holding journal/ and snapshots/) or the queue folder")
    Path journal;

    @Option(names = "--jdbc", paramLabel = "URL", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/shop?user=feed&password=... " +
        "(optional with --dry-run: without it the dry run starts at the journal's first record)")
    String jdbcUrl;

    @Option(names = "--follow", description = "keep tailing the journal and deliver new records within a second; stop with Ctrl-C or SIGTERM")
    boolean follow;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "flashsale", description = "the schema to write into (default: ${DEFAULT-VALUE})")
    String schema;

    @Option(names = "--from-start", description = "empty the feed's tables and rebuild them from the journal's first record")
    boolean fromStart;

    @Option(names = "--dry-run", description = "print the rows each batch would write (and the cursor) instead of writing; the database is only read")
    boolean dryRun;

    @Option(names = "--batch", paramLabel = "RECORDS", defaultValue = "20000", description = "most journal records per transaction (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "5",
        description = "print a status line (position, lag in commands and ms, rates, delivery lag percentiles) this often; 0: only at the end (default: ${DEFAULT-VALUE})")
    double statusEverySeconds;

    @Option(names = "--no-progress", description = "no progress bar while catching up")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (jdbcUrl == null && !dryRun)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jdbc is required (only a --dry-run may go without it)");
        }
        if (maxBatch <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be positive");
        }
        final OrderFeed.Options options = new OrderFeed.Options();
        options.journal = journal;
        options.jdbcUrl = jdbcUrl;
        options.schema = schema;
        options.follow = follow;
        options.fromStart = fromStart;
        options.dryRun = dryRun;
        options.maxBatch = maxBatch;
        options.statusEveryMillis = (long)(statusEverySeconds * 1000);
        options.progress = !noProgress;
        final PrintStream log = System.err;
        options.log = log;
        final OrderFeed feed;
        try
        {
            feed = OrderFeed.open(options);
        }
        catch (final FeedException ex)
        {
            log.println("error: " + ex.getMessage());
            return ex.kind().exitCode;
        }
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            feed.stop();
            try
            {
                finished.await();
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "feed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            feed.run();
            return 0;
        }
        catch (final FeedException ex)
        {
            log.println("error: " + ex.getMessage());
            return ex.kind().exitCode;
        }
        finally
        {
            feed.close();
            finished.countDown();
        }
    }

    public static void main(final String[] args)
    {
        // The pool's and the migrator's start-up chatter is not what an operator watches; the feed says what matters.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        final int exit = new CommandLine(new FeedCli()).execute(args);
        System.exit(exit);
    }
}

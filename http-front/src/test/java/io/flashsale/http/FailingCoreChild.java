package io.flashsale.http;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.engine.pipeline.SnapshotPort;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server as {@code serve} runs it (fail fast with a real exit), in a child JVM, with a fault
 * the test sets off: once the file {@code CONTROL/block} exists, the next SNAPSHOT (mode
 * {@code engine}, on the business thread) or journal append (mode {@code journal}) prints
 * {@code BLOCKED} and waits for {@code CONTROL/fail}, then throws. Meanwhile the test puts
 * requests in flight. Prints {@code PORT n} once ready.
 *
 * <p>{@code FailingCoreChild JOURNAL_DIR engine|journal CONTROL_DIR [REPLICATION_LINK]}: with a link, a
 * sync primary that standbys join there.
 */
public final class FailingCoreChild
{
    private static volatile boolean blocked;

    private FailingCoreChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[0]);
        final String mode = args[1];
        final Path control = Path.of(args[2]);
        final ServerConfig config = TestServer.looseConfig();
        config.journal.directory = journal.toString();
        config.journal.snapshotEveryCommands = 1;
        config.core.tickIntervalMillis = 250;
        if (args.length > 3)
        {
            config.replication.link = args[3];
        }
        final ServerEnvironment environment = new ServerEnvironment()
            .secret(AuthSecret.of(TestServer.SECRET, "the test"))
            .processExit(code -> Runtime.getRuntime().halt(code))
            .pipelineTweaks(pipeline ->
            {
                if (mode.equals("engine"))
                {
                    final SnapshotPort real = pipeline.snapshots;
                    pipeline.snapshots(engine ->
                    {
                        if (blockThenFail(control))
                        {
                            throw new OutOfMemoryError("injected: Java heap space");
                        }
                        real.onSnapshot(engine);
                    });
                }
                else
                {
                    final JournalPort real = pipeline.journal;
                    pipeline.journal(new JournalPort()
                    {
                        @Override
                        public void append(final CommandEvent command) throws Exception
                        {
                            if (blockThenFail(control))
                            {
                                throw new IOException("injected: No space left on device");
                            }
                            real.append(command);
                        }

                        @Override
                        public void endOfBatch() throws Exception
                        {
                            real.endOfBatch();
                        }
                    });
                }
            });
        final FlashsaleServer server = FlashsaleServer.start(config, environment);
        System.out.println("PORT " + server.port());
        System.exit(ServerMain.runUntilStopped(server));
    }

    /** True (after waiting for the go) when the test has asked for the fault. */
    private static boolean blockThenFail(final Path control) throws InterruptedException
    {
        if (blocked || !Files.exists(control.resolve("block")))
        {
            return false;
        }
        blocked = true;
        System.out.println("BLOCKED");
        while (!Files.exists(control.resolve("fail")))
        {
            Thread.sleep(5);
        }
        return true;
    }
}

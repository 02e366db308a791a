package io.flashsale.journal.crash;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.JournalCorruptException;
import io.flashsale.journal.SyncPolicy;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The engine process of the crash drill: recovers from the journal folder, runs the pipeline
 * with the journal and snapshots, and takes commands as lines on stdin. A reply line goes to stdout
 * from the reply stage, that is only after the command is in the journal: a line on stdout is an
 * acknowledgement. The parent kills this process with SIGKILL at a moment of its choosing.
 *
 * <pre>
 *   in:  C id name stock startsAt endsAt limit windowMillis | P id sale user qty key |
 *        Y id order user ref | X id order user | Q id order user | EXIT
 *   out: READY lastSequence recovery-report | REFUSED kind sequence message |
 *        R id outcome orderId saleId userId qty deadline state | BYE
 * </pre>
 *
 * Arguments: folder, sync policy, snapshot every N commands, truncate (true/false).
 */
public final class CrashDrillChild
{
    private static final PrintStream OUT = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);

    public static void main(final String[] args) throws Exception
    {
        final JournalConfig config = new JournalConfig(Path.of(args[0]))
            .sync(SyncPolicy.valueOf(args[1]))
            .snapshotEveryCommands(Long.parseLong(args[2]))
            .snapshotEverySeconds(1)
            .keepSnapshots(2)
            .truncateTornTail(Boolean.parseBoolean(args[3]));
        final DurableEngine durable;
        try
        {
            durable = DurableEngine.open(config);
        }
        catch (final JournalCorruptException ex)
        {
            line("REFUSED " + ex.kind() + " " + ex.sequence() + " " + ex.getMessage().replace('\n', ' '));
            System.exit(3);
            return;
        }
        final CommandPipeline pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
            .journal(durable.journalPort())
            .snapshots(durable.snapshotPort())
            .tickIntervalMillis(50)
            .ringSize(4096));
        durable.scheduleSnapshots(pipeline);
        line("READY " + durable.recovery().lastSequence() + " " + durable.recovery());

        final ReplyListener replies = CrashDrillChild::reply;
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String request;
        while ((request = in.readLine()) != null && !request.equals("EXIT"))
        {
            final String[] f = request.split(" ");
            final long id = Long.parseLong(f[1]);
            final Outcome accepted = switch (f[0])
            {
                case "C" -> pipeline.createSale(f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                    Integer.parseInt(f[6]), Long.parseLong(f[7]), replies, id);
                case "P" -> pipeline.purchase(Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]), replies, id);
                case "Y" -> pipeline.pay(Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], replies, id);
                case "X" -> pipeline.cancel(Long.parseLong(f[2]), Long.parseLong(f[3]), replies, id);
                case "Q" -> pipeline.queryOrder(Long.parseLong(f[2]), Long.parseLong(f[3]), replies, id);
                default -> throw new IllegalArgumentException("unknown request: " + request);
            };
            if (accepted != Outcome.PENDING)
            {
                line("R " + id + " " + accepted + " 0 0 0 0 0 -");
            }
        }
        pipeline.close();
        durable.close();
        line("BYE");
        System.exit(0);
    }

    /** Reply stage thread: the command is journaled and applied. */
    private static void reply(final CommandEvent event)
    {
        line("R " + event.attachment + " " + event.outcome + " " + event.resultOrderId + " " + event.resultSaleId + " " +
            event.resultUserId + " " + event.resultQty + " " + event.resultDeadline + " " +
            (event.resultOrderState == null ? "-" : event.resultOrderState.name()));
    }

    private static void line(final String text)
    {
        synchronized (OUT)
        {
            OUT.println(text);
            OUT.flush();
        }
    }
}

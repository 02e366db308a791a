package io.flashsale.journal;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.JournalCorruptException.Kind;
import io.flashsale.journal.audit.CommandText;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.queue.JournalRepair;
import io.flashsale.journal.queue.TailInspector;
import io.flashsale.journal.snapshot.SnapshotStore;
import io.flashsale.journal.snapshot.SnapshotStore.LoadedSnapshot;
import io.flashsale.journal.snapshot.SnapshotStore.SnapshotFile;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Start-up recovery, in order: the newest snapshot that loads and that the journal reaches, then
 * replay of the journal after it, then a look at the journal's tail. Anything wrong with the
 * journal stops the start with a {@link JournalCorruptException} unless the operator asked for
 * truncation, and then what is cut off is said in the report; the one exception is a write that
 * never finished at the very end, which was never acknowledged and is cut (and logged) at once.
 *
 * <p>Runs once, on the thread that opens the {@link DurableEngine}, before the ring exists.
 */
final class Recovery
{
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    /** The folder next to the queue where damaged cycle files are kept. */
    static final String QUARANTINE_FOLDER = "quarantine";

    /** What recovery hands to the durable engine: the rebuilt engine and the open queue. */
    record Result(SaleEngine engine, SingleChronicleQueue queue, RecoveryReport report)
    {
    }

    /** A problem with the journal found by the replay or the tail inspection. */
    private record Damage(Kind kind, long sequence, long index, File file, long offset, boolean truncatable, String detail,
                          TailInspector.Tail tail)
    {
    }

    private final JournalConfig config;
    private final SaleViews views;
    private final BiConsumer<SaleEngine, CommandEvent> replayStep;
    private final SnapshotStore snapshots;
    private final List<String> skipped = new ArrayList<>();
    private final List<SnapshotFile> loadedSnapshots = new ArrayList<>();
    private long lastGoodIndex = -1;
    private SingleChronicleQueue queue;

    private Recovery(final JournalConfig config, final SaleViews views, final BiConsumer<SaleEngine, CommandEvent> replayStep)
    {
        this.config = config;
        this.replayStep = replayStep;
        this.views = views;
        this.snapshots = new SnapshotStore(config.snapshotDirectory());
    }

    static Result run(final JournalConfig config, final SaleViews views) throws IOException
    {
        return run(config, views, SaleEngine::apply);
    }

    /**
     * @param replayStep applies one journaled command to the engine: {@link SaleEngine#apply};
     *                   tests put an engine bug in front of it
     */
    static Result run(final JournalConfig config, final SaleViews views, final BiConsumer<SaleEngine, CommandEvent> replayStep) throws IOException
    {
        final Recovery recovery = new Recovery(config, views, replayStep);
        try
        {
            return recovery.recover();
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            if (recovery.queue != null)
            {
                recovery.queue.close();
            }
            throw ex;
        }
    }

    private Result recover() throws IOException
    {
        final long start = System.nanoTime();
        queue = JournalQueues.openForWriting(config.queueDirectory(), config.rollCycle);

        SaleEngine engine = null;
        SnapshotFile used = null;
        long snapshotNanos = 0;
        JournalReader reader = new JournalReader(queue);
        for (final SnapshotFile file : snapshots.list())
        {
            final long loadStart = System.nanoTime();
            final LoadedSnapshot loaded;
            try
            {
                loaded = snapshots.load(file, views);
            }
            catch (final IOException ex)
            {
                final Path moved = snapshots.quarantine(file);
                skipped.add(file.path().getFileName() + " is corrupt (" + ex.getMessage() + "), moved to " + moved);
                continue;
            }
            loadedSnapshots.add(file);
            final JournalReader.Position position = reader.positionAfter(file.sequence());
            if (position == JournalReader.Position.FOUND)
            {
                engine = loaded.engine();
                used = file;
                snapshotNanos = System.nanoTime() - loadStart;
                break;
            }
            skipped.add(file.path().getFileName() + switch (position)
            {
                case JOURNAL_ENDS_BEFORE -> " covers commands the journal does not hold";
                case JOURNAL_STARTS_AFTER -> " is older than the journal's first record";
                default -> " could not be anchored in the journal: " + reader.problem();
            });
        }
        if (engine == null)
        {
            views.clear();
            engine = new SaleEngine(1024, views);
            reader.toStart();
        }

        final long replayStart = System.nanoTime();
        final CommandEvent event = new CommandEvent();
        long replayed = 0;
        JournalReader.Status status;
        while ((status = reader.next(event)) == JournalReader.Status.RECORD)
        {
            try
            {
                replayStep.accept(engine, event);
            }
            catch (final RuntimeException | StackOverflowError ex)
            {
                throw poison(reader, event, ex);
            }
            replayed++;
        }
        engine.publishViews();
        final long replayNanos = System.nanoTime() - replayStart;
        if (engine.appliedCount() != reader.sequence())
        {
            throw new IllegalStateException("engine applied " + engine.appliedCount() + " commands, journal is at " + reader.sequence());
        }
        final long lastSequence = reader.sequence();
        lastGoodIndex = reader.lastGoodIndex();

        final Damage damage = status == JournalReader.Status.CORRUPT ? damagedRecord(reader) : inspectTail(reader);
        reader.close();
        String truncated = null;
        if (damage != null)
        {
            if (damage.kind() == Kind.TORN_TAIL)
            {
                truncated = cutTornWrite(damage);
            }
            else if (!config.truncateTornTail || !damage.truncatable())
            {
                throw refusal(damage);
            }
            else
            {
                truncated = truncate(damage);
            }
        }
        truncated = join(truncated, setAsideSnapshotsAhead(lastSequence));

        final long end = System.nanoTime();
        final RecoveryReport report = new RecoveryReport(
            used == null ? null : used.path(),
            used == null ? 0 : used.sequence(),
            List.copyOf(skipped),
            replayed,
            lastSequence,
            truncated,
            millis(snapshotNanos),
            millis(replayNanos),
            millis(end - start));
        return new Result(engine, queue, report);
    }

    private PoisonCommandException poison(final JournalReader reader, final CommandEvent command, final Throwable cause)
    {
        final long sequence = reader.sequence();
        final String where = reader.indexText(reader.index());
        command.outcome = Outcome.ENGINE_ERROR;
        final String text = CommandText.describe(command);
        return new PoisonCommandException(sequence, reader.index(), text,
            "POISON_COMMAND: the engine threw on the journaled command at sequence " + sequence + " (index " + where + "): " +
                text + ": " + cause + ". Every replay, and a standby, fails on it the same way: it is an engine bug. Refusing to" +
                " start. See the command with `flashsale journal dump --journal " + config.directory + " --from " + sequence +
                " --to " + sequence + "`; a fixed engine replays the journal as it is (cutting it there would drop acknowledged commands).",
            cause);
    }

        private Damage damagedRecord(final JournalReader reader)
    {
        final long index = reader.index();
        final long sequence = reader.expectedSequence();
        final Kind kind = reader.problemIsGap() ? Kind.SEQUENCE_GAP : Kind.CORRUPT_RECORD;
        final String problem = reader.problem();
        final String where = reader.indexText(index);
        final boolean tail = !reader.soundRecordFollows();
        final String detail = "journal record at index " + where + " (sequence " + sequence + " expected): " + problem +
            (tail ? "; no sound record follows it (a damaged tail)" : "; sound records follow it (damage in the middle of the journal)");
        return new Damage(kind, sequence, index, null, -1, tail, detail, null);
    }

    private Damage inspectTail(final JournalReader reader) throws IOException
    {
        final int lastCycle = queue.lastCycle();
        if (lastCycle < 0 || lastCycle == Integer.MAX_VALUE)
        {
            return null;
        }
        final File lastFile = JournalQueues.fileOf(queue, lastCycle);
        if (lastFile == null)
        {
            return null;
        }
        final boolean endsInLastFile = reader.endFile() != null &&
            reader.endFile().getAbsoluteFile().toPath().normalize().equals(lastFile.getAbsoluteFile().toPath().normalize());
        final TailInspector.Tail tail = TailInspector.inspect(lastFile, endsInLastFile ? reader.endOffset() : 0);
        final long next = reader.sequence() + 1;
        return switch (tail.kind())
        {
            case CLEAN -> unreadByChronicle(reader);
            case TORN -> new Damage(Kind.TORN_TAIL, next, -1, lastFile, tail.offset(), true,
                "torn journal tail after sequence " + reader.sequence() + " in " + lastFile + ": " + tail.detail() +
                    "; the command that was being written (sequence " + next + ") was never acknowledged", tail);
            case UNREAD_EXCERPT -> new Damage(Kind.UNREADABLE_EXCERPT, next,
                endsInLastFile ? reader.lastGoodIndex() + 1 : reader.rollCycle().toIndex(lastCycle, 0), lastFile, tail.offset(), true,
                "journal tail after sequence " + reader.sequence() + " in " + lastFile + ": " + tail.detail(), tail);
        };
    }

    /** Chronicle's own index says there are excerpts past the last one the tailer could read. */
    private Damage unreadByChronicle(final JournalReader reader)
    {
        final long chronicleLast = queue.lastIndex();
        final long readLast = reader.lastGoodIndex();
        if (chronicleLast < 0 || readLast < 0 || chronicleLast <= readLast)
        {
            return null;
        }
        return new Damage(Kind.UNREADABLE_EXCERPT, reader.sequence() + 1, readLast + 1, null, -1, true,
            "the queue indexes excerpts up to " + reader.indexText(chronicleLast) + " but the last readable one is " +
                reader.indexText(readLast), null);
    }

    private JournalCorruptException refusal(final Damage damage)
    {
        final String advice = damage.truncatable()
            ? " Refusing to start. Start once with truncateTornTail (flashsale: --truncate-torn-tail) to cut the journal back to sequence " +
                (damage.sequence() - 1) + "; damaged files are kept under " + config.directory.resolve(QUARANTINE_FOLDER) + "."
            : " Refusing to start, and truncation would drop sound records after it: restore the journal from a copy" +
                " or run `flashsale journal verify` to see the extent.";
        return new JournalCorruptException(damage.kind(), damage.sequence(), damage.index(),
            damage.file() == null ? null : damage.file().toPath(), damage.offset(), damage.truncatable(),
            damage.kind() + ": " + damage.detail() + "." + advice);
    }

    /**
     * A write that never finished, after the last readable record of the last file, is cut without
     * an operator: its header was never completed, and the journal stage completes it before the
     * command can be answered, so no reply for it ever left. The bytes go to the quarantine folder
     * first, then are zeroed in place. Anything else (a complete record that is damaged, a gap,
     * damage in the middle) may have been answered and still needs the operator.
     */
    private String cutTornWrite(final Damage damage) throws IOException
    {
        final TailInspector.Tail tail = damage.tail();
        final Path kept = TailInspector.quarantine(tail, config.directory.resolve(QUARANTINE_FOLDER));
        TailInspector.zero(tail);
        final String cut = "cut an unfinished write after index " + (lastGoodIndex < 0 ? "none" : "0x" + Long.toHexString(lastGoodIndex)) +
            " (sequence " + (damage.sequence() - 1) + "): " + (tail.end() - tail.offset()) + " bytes at " + damage.file() + ":" +
            damage.offset() + ", the command with sequence " + damage.sequence() + ", never acknowledged (a reply leaves only after" +
            " its write completes); the bytes are kept in " + kept;
        LOG.log(System.Logger.Level.WARNING, "TORN JOURNAL TAIL CUT without an operator: " + cut);
        return cut;
    }

    private String truncate(final Damage damage) throws IOException
    {
        queue.close();
        final String moved = JournalRepair.cutAt(config.queueDirectory(), damage.index(), config.directory.resolve(QUARANTINE_FOLDER));
        queue = JournalQueues.openForWriting(config.queueDirectory(), config.rollCycle);
        queue.refreshDirectoryListing();
        try (JournalReader check = new JournalReader(queue))
        {
            if (check.positionAfter(damage.sequence() - 1) != JournalReader.Position.FOUND ||
                check.next(new CommandEvent()) != JournalReader.Status.END)
            {
                throw new IOException("the journal does not end at sequence " + (damage.sequence() - 1) + " after cutting it: " + moved);
            }
        }
        return "cut the journal after sequence " + (damage.sequence() - 1) + " (" + damage.kind() + " at index 0x" +
            Long.toHexString(damage.index()) + "): " + moved;
    }

    /**
     * A valid snapshot that covers more than the journal holds means the journal lost commands
     * (power loss with the async policy, or files removed by hand). Refuse, or with truncation
     * move those snapshots aside and say so.
     */
    private String setAsideSnapshotsAhead(final long lastSequence) throws IOException
    {
        String moved = null;
        for (final SnapshotFile file : loadedSnapshots)
        {
            if (file.sequence() <= lastSequence)
            {
                continue;
            }
            if (!config.truncateTornTail)
            {
                throw new JournalCorruptException(Kind.JOURNAL_BEHIND_SNAPSHOT, lastSequence + 1, -1, file.path(), -1, true,
                    "JOURNAL_BEHIND_SNAPSHOT: snapshot " + file.path().getFileName() + " covers " + file.sequence() +
                        " commands but the journal ends at sequence " + lastSequence + ": commands " + (lastSequence + 1) + ".." +
                        file.sequence() + " are missing from the journal. Refusing to start. Starting with truncateTornTail" +
                        " moves the snapshot aside and those commands are lost.");
            }
            moved = join(moved, "moved snapshot " + file.path().getFileName() + " (ahead of the journal) to " + snapshots.quarantine(file));
        }
        return moved;
    }

    private static String join(final String a, final String b)
    {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    private static long millis(final long nanos)
    {
        return nanos / 1_000_000;
    }
}

package io.flashsale.journal.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The epochs (terms) a journal has lived through, in the file {@code epochs} in the journal's
 * folder: one line {@code EPOCH FIRST_SEQUENCE} per epoch, oldest first, as Kafka keeps its
 * leader-epoch checkpoint beside the log. A journal with no file is in epoch 1 from sequence 1. A
 * promotion appends a new epoch; a standby takes on its primary's epoch when it joins. The file is
 * replaced whole (written aside, synced, renamed, folder synced), so a crash leaves the old or the
 * new history, never half of one.
 *
 * <p>One owner thread at a time (the process's control thread, or the standby's agent).
 */
public final class EpochHistory
{
    public static final String FILE_NAME = "epochs";

    private final Path file;
    private final List<long[]> epochs = new ArrayList<>();

    private EpochHistory(final Path file)
    {
        this.file = file;
    }

    /** Reads the history of the journal in {@code journalDirectory} (none yet: epoch 1). */
    public static EpochHistory load(final Path journalDirectory)
    {
        final EpochHistory history = new EpochHistory(journalDirectory.resolve(FILE_NAME));
        try
        {
            if (Files.exists(history.file))
            {
                for (final String line : Files.readAllLines(history.file, StandardCharsets.US_ASCII))
                {
                    if (line.isBlank())
                    {
                        continue;
                    }
                    final String[] fields = line.trim().split("\\s+");
                    history.epochs.add(new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])});
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot read the epoch history " + history.file + ": " + ex.getMessage(), ex);
        }
        return history;
    }

    /** The current epoch: the last one begun, 1 when none was. */
    public synchronized long current()
    {
        return epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1)[0];
    }

    /** The first sequence of the current epoch (1 when none was begun). */
    public synchronized long currentStart()
    {
        return epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1)[1];
    }

    /**
     * The first sequence written in an epoch newer than {@code epoch}: where a node that stopped in
     * {@code epoch} parted from this history. {@link Long#MAX_VALUE} when no newer epoch began here.
     */
    public synchronized long firstSequenceAfter(final long epoch)
    {
        for (final long[] e : epochs)
        {
            if (e[0] > epoch)
            {
                return e[1];
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Begins {@code epoch} at {@code firstSequence} and makes it durable before returning.
     *
     * @throws IllegalArgumentException when the epoch is not newer than the current one
     */
    public synchronized void begin(final long epoch, final long firstSequence)
    {
        if (epoch <= current())
        {
            throw new IllegalArgumentException("epoch " + epoch + " is not newer than the current epoch " + current());
        }
        epochs.add(new long[] {epoch, firstSequence});
        final StringBuilder text = new StringBuilder();
        for (final long[] e : epochs)
        {
            text.append(e[0]).append(' ').append(e[1]).append('\n');
        }
        try
        {
            Files.createDirectories(file.getParent());
            final Path aside = file.resolveSibling(FILE_NAME + ".new");
            Files.writeString(aside, text, StandardCharsets.US_ASCII);
            try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ))
            {
                folder.force(true);
            }
            catch (final IOException ignored)
            {
                // Some file systems cannot sync a folder; the rename is still atomic.
            }
        }
        catch (final IOException ex)
        {
            epochs.remove(epochs.size() - 1);
            throw new UncheckedIOException("cannot write the epoch history " + file, ex);
        }
    }
}

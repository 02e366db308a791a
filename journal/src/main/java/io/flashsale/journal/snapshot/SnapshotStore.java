package io.flashsale.journal.snapshot;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.sale.SaleViews;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The snapshot folder: writes snapshot files safely, lists them, loads them with their checks,
 * prunes old ones.
 *
 * <p>A file is {@code snapshot-<sequence>.snap}, where the sequence is the journal sequence it
 * covers (the engine's applied count). Its bytes:
 * <pre>
 *   int  magic "FSJS", int format version (1)
 *   long journal sequence covered, long engine time, long wall time written
 *   int  payload length, payload ({@link EngineSnapshot} bytes)
 *   int  CRC32C of everything before it
 * </pre>
 * Written to a temp file, forced, renamed atomically, and the folder forced: a crash leaves either
 * the old set of files or the new one, and a reader never sees a half-written snapshot under its
 * final name.
 *
 * <p>Thread-safe for one writer and any number of readers (they only see complete files).
 */
public final class SnapshotStore
{
    private static final int MAGIC = 0x46534A53; // "FSJS"
    private static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final String QUARANTINE_FOLDER = "quarantine";
    private static final int HEADER_LENGTH = 4 + 4 + 8 + 8 + 8 + 4;

    /** One snapshot file on disk, by the sequence its name says it covers. */
    public record SnapshotFile(Path path, long sequence)
    {
    }

    /** A snapshot read back and checked. */
    public record LoadedSnapshot(SnapshotFile file, SaleEngine engine, long writtenAtMillis)
    {
    }

    private final Path directory;

    public SnapshotStore(final Path directory)
    {
        this.directory = directory;
    }

    public Path directory()
    {
        return directory;
    }

    /** Every snapshot file, newest (highest sequence) first. */
    public List<SnapshotFile> list() throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        final List<SnapshotFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(directory))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Matcher name = NAME.matcher(path.getFileName().toString());
                if (name.matches())
                {
                    files.add(new SnapshotFile(path, Long.parseLong(name.group(1))));
                }
            }
        }
        files.sort(Comparator.comparingLong(SnapshotFile::sequence).reversed());
        return files;
    }

    /** The file name for a snapshot covering {@code sequence}. */
    public Path pathFor(final long sequence)
    {
        return directory.resolve(String.format("snapshot-%020d.snap", sequence));
    }

    /**
     * Writes a snapshot of {@code payload} ({@link EngineSnapshot} bytes) covering {@code sequence}.
     *
     * @return the final path
     */
    public Path write(final byte[] payload, final int payloadLength, final long sequence, final long engineNow) throws IOException
    {
        Files.createDirectories(directory);
        final Path target = pathFor(sequence);
        final Path temp = directory.resolve("." + target.getFileName() + ".tmp");
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH)
            .putInt(MAGIC)
            .putInt(FORMAT_VERSION)
            .putLong(sequence)
            .putLong(engineNow)
            .putLong(System.currentTimeMillis())
            .putInt(payloadLength)
            .flip();
        final CRC32C crc = new CRC32C();
        crc.update(header.duplicate());
        crc.update(payload, 0, payloadLength);
        final ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int)crc.getValue()).flip();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            writeFully(channel, header);
            writeFully(channel, ByteBuffer.wrap(payload, 0, payloadLength));
            writeFully(channel, trailer);
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        return target;
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /**
     * Reads and checks a snapshot into a new engine publishing to {@code views}.
     *
     * @throws IOException when the file is unreadable, truncated, fails its checksum, or does not
     *                     cover the sequence its name says
     */
    public LoadedSnapshot load(final SnapshotFile file, final SaleViews views) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file.path());
        if (bytes.length < HEADER_LENGTH + 4)
        {
            throw new IOException("truncated snapshot: " + bytes.length + " bytes");
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        final int stored = buffer.getInt(bytes.length - 4);
        if (stored != (int)crc.getValue())
        {
            throw new IOException(String.format("checksum mismatch (stored %08x, computed %08x)", stored, (int)crc.getValue()));
        }
        if (buffer.getInt() != MAGIC)
        {
            throw new IOException("not a flashsale snapshot (bad magic)");
        }
        final int version = buffer.getInt();
        if (version != FORMAT_VERSION)
        {
            throw new IOException("unknown snapshot format version " + version);
        }
        final long sequence = buffer.getLong();
        final long engineNow = buffer.getLong();
        final long writtenAt = buffer.getLong();
        final int payloadLength = buffer.getInt();
        if (sequence != file.sequence())
        {
            throw new IOException("covers sequence " + sequence + " but is named for " + file.sequence());
        }
        if (payloadLength != bytes.length - HEADER_LENGTH - 4)
        {
            throw new IOException("payload length " + payloadLength + " does not match the file size " + bytes.length);
        }
        final ByteArrayDataInput payload = new ByteArrayDataInput(bytes, HEADER_LENGTH, payloadLength);
        final SaleEngine engine;
        try
        {
            engine = EngineSnapshot.read(payload, views);
        }
        catch (final RuntimeException ex)
        {
            // A payload that passed the checksum yet breaks the engine's consistency checks.
            throw new IOException("unreadable snapshot payload: " + ex, ex);
        }
        if (payload.remaining() != 0)
        {
            throw new IOException("payload has " + payload.remaining() + " bytes the engine did not read");
        }
        if (engine.appliedCount() != sequence || engine.now() != engineNow)
        {
            throw new IOException("engine state covers " + engine.appliedCount() + " commands, header says " + sequence);
        }
        return new LoadedSnapshot(file, engine, writtenAt);
    }

    /** Deletes all but the newest {@code keep} snapshots. */
    public void prune(final int keep) throws IOException
    {
        final List<SnapshotFile> files = list();
        for (int i = keep; i < files.size(); i++)
        {
            try
            {
                Files.delete(files.get(i).path());
            }
            catch (final NoSuchFileException ignored)
            {
                // pruned by someone else already
            }
        }
    }

    /** Moves a snapshot into {@code quarantine/} where it is kept for inspection, out of recovery's way. */
    public Path quarantine(final SnapshotFile file) throws IOException
    {
        final Path folder = directory.resolve(QUARANTINE_FOLDER);
        Files.createDirectories(folder);
        final Path target = folder.resolve(file.path().getFileName() + "." + System.currentTimeMillis());
        Files.move(file.path(), target);
        return target;
    }

    private void forceDirectory()
    {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException ignored)
        {
            // Not every file system lets a directory be opened; the rename is still atomic.
        }
    }
}

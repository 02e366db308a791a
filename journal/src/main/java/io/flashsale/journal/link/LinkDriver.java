package io.flashsale.journal.link;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;

import org.agrona.IoUtil;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded Aeron media driver of one link end: one shared agent thread (conductor, sender
 * and receiver) that backs off to sleeping when idle, because these machines have two cores and
 * a busy-spinning driver would starve the ring. Its files live in a folder of its own, under the
 * given parent (the process's data folder) or /dev/shm, deleted on start and on close; folders
 * left by a killed process are deleted by the next launch in the same place.
 *
 * <p>Launched and closed by the {@link LinkServer}, {@link LinkClient} or replication end that owns it.
 */
public final class LinkDriver implements AutoCloseable
{
    /** Aeron's default is 10 s; an edge should notice a dead core's stream sooner than that. */
    private static final long IMAGE_LIVENESS_NS = TimeUnit.SECONDS.toNanos(3);
    private static final long PUBLICATION_CONNECTION_NS = TimeUnit.SECONDS.toNanos(2);

    private static final Pattern ORPHAN_NAME = Pattern.compile("flashsale-link-[a-z-]+-(\\d{1,18})-[0-9a-f]+");

    private final MediaDriver driver;

    private LinkDriver(final MediaDriver driver)
    {
        this.driver = driver;
    }

    /**
     * @param parent the folder to put the driver's folder in, or null for /dev/shm (the system's
     *               temp folder where there is none)
     * @param role   a word for the folder's name: "core", "edge"
     */
    public static LinkDriver launch(final Path parent, final String role, final ErrorHandler errorHandler)
    {
        final String name = "flashsale-link-" + role + "-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        final Path base = parent != null ? parent :
            Path.of("/dev/shm").toFile().isDirectory() ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        sweepOrphans(base);
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(base.resolve(name).toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(500)))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .imageLivenessTimeoutNs(IMAGE_LIVENESS_NS)
            .publicationConnectionTimeoutNs(PUBLICATION_CONNECTION_NS)
            .errorHandler(errorHandler);
        return new LinkDriver(MediaDriver.launchEmbedded(context));
    }

    /**
     * Deletes the folders of link drivers whose process is gone (killed before it could delete
     * its own); a live process's folder is never touched.
     */
    static void sweepOrphans(final Path base)
    {
        final File[] folders = base.toFile().listFiles((dir, name) -> ORPHAN_NAME.matcher(name).matches());
        if (folders == null)
        {
            return;
        }
        for (final File folder : folders)
        {
            final Matcher name = ORPHAN_NAME.matcher(folder.getName());
            if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).map(ProcessHandle::isAlive).orElse(false) == false)
            {
                IoUtil.delete(folder, true);
            }
        }
    }

    public String directory()
    {
        return driver.aeronDirectoryName();
    }

    @Override
    public void close()
    {
        driver.close();
    }
}

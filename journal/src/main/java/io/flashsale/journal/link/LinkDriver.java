package io.flashsale.journal.link;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Aeron media driver of one link end: one shared agent thread (conductor, sender
 * and receiver) that backs off to sleeping when idle, because these machines have two cores and
 * a busy-spinning driver would starve the ring. Its files live in a folder of its own, under the
 * given parent (the process's data folder) or /dev/shm, deleted on start and on close.
 *
 * <p>Launched and closed by the {@link LinkServer} or {@link LinkClient} that owns it.
 */
final class LinkDriver implements AutoCloseable
{
    /** Aeron's default is 10 s; an edge should notice a dead core's stream sooner than that. */
    private static final long IMAGE_LIVENESS_NS = TimeUnit.SECONDS.toNanos(3);
    private static final long PUBLICATION_CONNECTION_NS = TimeUnit.SECONDS.toNanos(2);

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
    static LinkDriver launch(final Path parent, final String role, final ErrorHandler errorHandler)
    {
        final String name = "flashsale-link-" + role + "-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        final Path base = parent != null ? parent :
            Path.of("/dev/shm").toFile().isDirectory() ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
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

    String directory()
    {
        return driver.aeronDirectoryName();
    }

    @Override
    public void close()
    {
        driver.close();
    }
}

package io.flashsale.bench.http;

import java.util.concurrent.CountDownLatch;

/**
 * {@link BareOkServer} on its own in a child JVM, for the load generator's baselines
 * ({@code flashsale bench ceiling|compare}): {@code BareOkServerMain IO_THREADS}. Binds an ephemeral
 * port on 127.0.0.1, prints {@code LISTENING <port>}, and stops on SIGTERM. Main thread.
 */
public final class BareOkServerMain
{
    private BareOkServerMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int ioThreads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        final BareOkServer server = new BareOkServer("127.0.0.1", ioThreads);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            stopped.countDown();
        }, "bare-stop"));
        System.out.println("LISTENING " + server.port);
        System.out.flush();
        stopped.await();
    }
}

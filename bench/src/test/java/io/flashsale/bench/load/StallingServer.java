package io.flashsale.bench.load;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server for the generator's tests: answers "ok" at once, except the request whose
 * number (from 1) is {@code stallAt}, which it holds for {@code stallMillis} on a worker thread.
 */
final class StallingServer implements AutoCloseable
{
    private final Undertow undertow;
    private final AtomicInteger requests = new AtomicInteger();

    StallingServer(final int stallAt, final long stallMillis)
    {
        undertow = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(1)
            .setWorkerThreads(2)
            .setHandler(exchange -> answer(exchange, stallAt, stallMillis))
            .build();
        undertow.start();
    }

    private void answer(final HttpServerExchange exchange, final int stallAt, final long stallMillis) throws InterruptedException
    {
        if (exchange.isInIoThread())
        {
            final int number = requests.incrementAndGet();
            if (number != stallAt)
            {
                exchange.getResponseSender().send("ok");
                return;
            }
            exchange.dispatch(() ->
            {
                try
                {
                    Thread.sleep(stallMillis);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                exchange.getResponseSender().send("ok");
            });
        }
    }

    int port()
    {
        return ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    int requests()
    {
        return requests.get();
    }

    @Override
    public void close()
    {
        undertow.stop();
    }
}

package io.flashsale.bench.http;

import io.flashsale.http.body.UnreadBody;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The baseline: Undertow answering "ok" from the IO thread, with the same listener settings as the
 * flashsale server. Whatever the flashsale paths cost is measured against this, in the same run.
 * It skips an unread request body the way flashsale does ({@link UnreadBody}), cheaper than
 * Undertow's own drain, so it stays the ceiling for any handler.
 */
final class BareOkServer implements AutoCloseable
{
    private static final ByteBuffer OK = ByteBuffer.allocateDirect(2).put("ok".getBytes(StandardCharsets.US_ASCII)).flip();

    private final Undertow undertow;
    final int port;

    BareOkServer(final String host, final int ioThreads)
    {
        undertow = Undertow.builder()
            .addHttpListener(0, host)
            .setIoThreads(ioThreads)
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
            .setHandler(exchange -> {
                UnreadBody.discard(exchange);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                exchange.getResponseSender().send(OK.duplicate());
            })
            .build();
        undertow.start();
        port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close()
    {
        undertow.stop();
    }
}

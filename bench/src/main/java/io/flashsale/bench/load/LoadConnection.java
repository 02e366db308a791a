package io.flashsale.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of a load loop, carrying one request at a time (no
 * pipelining, like a browser and like wrk). It writes each request as ready-made bytes, gathers
 * the decoded response (status, Retry-After, keep-alive, body text) and hands it, or the loss of
 * its request, back to its loop.
 *
 * <p>Runs on its loop's event-loop thread only.
 */
final class LoadConnection extends ChannelInboundHandlerAdapter
{
    private static final byte[] CRLF = {'\r', '\n'};

    private final LoadLoop loop;
    private final byte[] hostLine;
    private Channel channel;
    private LoadRequest inFlight;

    // the response being read
    private int status;
    private long retryAfter;
    private boolean keepAlive;
    private StringBuilder body;

    LoadConnection(final LoadLoop loop, final String hostHeader)
    {
        this.loop = loop;
        this.hostLine = ("Host: " + hostHeader + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    void send(final LoadRequest request)
    {
        inFlight = request;
        status = 0;
        final ByteBuf out = channel.alloc().ioBuffer(256 + (request.body == null ? 0 : request.body.length)
            + (request.authorization == null ? 0 : request.authorization.length()) + (request.headers == null ? 0 : 128));
        ByteBufUtil.writeAscii(out, request.method.name());
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, request.path);
        ByteBufUtil.writeAscii(out, " HTTP/1.1\r\n");
        out.writeBytes(hostLine);
        if (request.authorization != null)
        {
            ByteBufUtil.writeAscii(out, "Authorization: ");
            ByteBufUtil.writeAscii(out, request.authorization);
            out.writeBytes(CRLF);
        }
        if (request.headers != null)
        {
            for (int i = 0; i < request.headers.length; i += 2)
            {
                ByteBufUtil.writeAscii(out, request.headers[i]);
                ByteBufUtil.writeAscii(out, ": ");
                ByteBufUtil.writeAscii(out, request.headers[i + 1]);
                out.writeBytes(CRLF);
            }
        }
        if (request.body != null)
        {
            ByteBufUtil.writeAscii(out, "Content-Type: application/json\r\nContent-Length: ");
            ByteBufUtil.writeAscii(out, Integer.toString(request.body.length));
            out.writeBytes(CRLF).writeBytes(CRLF).writeBytes(request.body);
        }
        else if (request.method.name().equals("POST"))
        {
            ByteBufUtil.writeAscii(out, "Content-Length: 0\r\n\r\n");
        }
        else
        {
            out.writeBytes(CRLF);
        }
        // A failed write closes the channel (exceptionCaught), and channelInactive reports the request lost.
        channel.writeAndFlush(out, channel.voidPromise());
    }

    LoadRequest inFlight()
    {
        return inFlight;
    }

    /** Gives up on the request in flight (its timeout passed) and closes the connection. */
    LoadRequest abandon()
    {
        final LoadRequest request = inFlight;
        inFlight = null;
        channel.close();
        return request;
    }

    void close()
    {
        if (channel != null)
        {
            channel.close();
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        loop.connected(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (message instanceof HttpResponse response)
            {
                if (response.decoderResult().isFailure())
                {
                    ctx.close();
                    return;
                }
                status = response.status().code();
                retryAfter = Answer.parseRetryAfter(response.headers().get(HttpHeaderNames.RETRY_AFTER));
                keepAlive = HttpUtil.isKeepAlive(response);
                body = null;
            }
            if (message instanceof HttpContent content)
            {
                final ByteBuf bytes = content.content();
                if (bytes.isReadable())
                {
                    if (body == null)
                    {
                        body = new StringBuilder(bytes.readableBytes());
                    }
                    body.append(bytes.toString(StandardCharsets.UTF_8));
                }
                if (message instanceof LastHttpContent)
                {
                    complete(ctx);
                }
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    private void complete(final ChannelHandlerContext ctx)
    {
        final LoadRequest request = inFlight;
        inFlight = null;
        if (request == null || status == 0)
        {
            ctx.close(); // an answer nobody asked for: the connection is out of step
            return;
        }
        final Answer answer = new Answer(status, retryAfter, body == null ? "" : body.toString());
        body = null;
        loop.answered(this, request, answer, keepAlive);
        if (!keepAlive)
        {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        final LoadRequest request = inFlight;
        inFlight = null;
        loop.lost(this, request);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}

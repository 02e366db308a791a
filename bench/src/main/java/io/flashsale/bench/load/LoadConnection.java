package io.flashsale.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of a load loop, carrying one request at a time (no
 * pipelining, like a browser and like wrk). It hands each answer, or the loss of its request, back
 * to its loop.
 *
 * <p>Runs on its loop's event-loop thread only.
 */
final class LoadConnection extends SimpleChannelInboundHandler<FullHttpResponse>
{
    private final LoadLoop loop;
    private final AsciiString hostHeader;
    private Channel channel;
    private LoadRequest inFlight;

    LoadConnection(final LoadLoop loop, final String hostHeader)
    {
        this.loop = loop;
        this.hostHeader = AsciiString.cached(hostHeader);
    }

    void send(final LoadRequest request)
    {
        inFlight = request;
        final ByteBuf content = request.body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(request.body);
        final FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method, request.path, content);
        final HttpHeaders headers = http.headers();
        headers.set(HttpHeaderNames.HOST, hostHeader);
        if (request.authorization != null)
        {
            headers.set(HttpHeaderNames.AUTHORIZATION, request.authorization);
        }
        if (request.body != null)
        {
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        HttpUtil.setContentLength(http, content.readableBytes());
        // A failed write closes the channel (exceptionCaught), and channelInactive reports the request lost.
        channel.writeAndFlush(http, channel.voidPromise());
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
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        final LoadRequest request = inFlight;
        inFlight = null;
        if (request == null)
        {
            ctx.close(); // an answer nobody asked for: the connection is out of step
            return;
        }
        final Answer answer = new Answer(
            response.status().code(),
            Answer.parseRetryAfter(response.headers().get(HttpHeaderNames.RETRY_AFTER)),
            response.content().toString(StandardCharsets.UTF_8));
        final boolean reusable = HttpUtil.isKeepAlive(response);
        loop.answered(this, request, answer, reusable);
        if (!reusable)
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

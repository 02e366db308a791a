package io.flashsale.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** The pipeline of one load connection: HTTP/1.1 codec, whole responses, then the connection. */
final class LoadChannelInitializer extends ChannelInitializer<Channel>
{
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final LoadConnection connection;

    LoadChannelInitializer(final LoadConnection connection)
    {
        this.connection = connection;
    }

    @Override
    protected void initChannel(final Channel channel)
    {
        channel.pipeline()
            .addLast(new HttpClientCodec())
            .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
            .addLast(connection);
    }
}

package io.flashsale.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * The pipeline of one load connection: Netty's HTTP/1.1 response decoder (header validation off:
 * the servers under test are ours, and the generator's own CPU is what limits its ceiling), then
 * the connection. Requests are written pre-encoded, so there is no encoder.
 */
final class LoadChannelInitializer extends ChannelInitializer<Channel>
{
    private final LoadConnection connection;

    LoadChannelInitializer(final LoadConnection connection)
    {
        this.connection = connection;
    }

    @Override
    protected void initChannel(final Channel channel)
    {
        channel.pipeline()
            .addLast(new HttpResponseDecoder(new HttpDecoderConfig()
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))))
            .addLast(connection);
    }
}

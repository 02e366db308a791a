package io.flashsale.journal.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.codec.CommandCodec;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batching: one flush puts as many whole messages in each UDP frame as fit. */
class OutboundTest
{
    @Test
    void oneFlushPacksWholeMessagesIntoFramesOfTheMaximumPayload()
    {
        try (LinkDriver driver = LinkDriver.launch(null, "outbound-test", Throwable::printStackTrace);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
            Subscription subscription = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", 7))
        {
            await().atMost(PATIENCE).until(() -> !subscription.localSocketAddresses().isEmpty());
            final String address = subscription.localSocketAddresses().get(0);
            try (ExclusivePublication publication = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + address + "|mtu=1408", 7))
            {
                await().atMost(PATIENCE).until(publication::isConnected);
                final Outbound outbound = new Outbound(64 << 10);
                final CommandCodec codec = new CommandCodec();
                final CommandEvent purchase = Links.purchase(1, 1, 1, 1);
                final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer();
                int messageLength = 0;
                for (int i = 0; i < 100; i++)
                {
                    purchase.userId = i;
                    messageLength = LinkWire.command(scratch, 0, i, codec.array(), codec.encode(purchase, 0, CommandCodec.NO_RING_SEQUENCE));
                    assertThat(outbound.append(scratch, 0, messageLength)).isTrue();
                }
                final int perFrame = publication.maxPayloadLength() / messageLength;
                final int frames = (100 + perFrame - 1) / perFrame;
                assertThat(frames).isLessThan(10);

                assertThat(outbound.flush(publication)).isEqualTo(frames);
                assertThat(outbound.isEmpty()).isTrue();

                final List<Integer> messagesPerFragment = new ArrayList<>();
                final List<Long> correlationIds = new ArrayList<>();
                await().atMost(PATIENCE).until(() ->
                {
                    subscription.poll((buffer, offset, length, header) ->
                    {
                        int count = 0;
                        for (int at = offset; at < offset + length; at += LinkWire.length(buffer, at))
                        {
                            assertThat(LinkWire.type(buffer, at)).isEqualTo(LinkWire.COMMAND);
                            correlationIds.add(buffer.getLong(at + LinkWire.COMMAND_CORRELATION, LinkWire.ORDER));
                            count++;
                        }
                        messagesPerFragment.add(count);
                    }, 100);
                    return correlationIds.size() == 100;
                });
                assertThat(messagesPerFragment).hasSize(frames);
                assertThat(messagesPerFragment.get(0)).isEqualTo(perFrame);
                assertThat(correlationIds).isEqualTo(java.util.stream.LongStream.range(0, 100).boxed().toList());
            }
        }
    }
}

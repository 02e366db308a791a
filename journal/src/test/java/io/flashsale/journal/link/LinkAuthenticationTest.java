package io.flashsale.journal.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.codec.CommandCodec;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Only a process holding the shared secret can put a command in front of the core. */
class LinkAuthenticationTest
{
    @Test
    void aPublisherWithoutTheSecretReachesThePortButNoneOfItsCommandsReachTheCore()
    {
        final CoreRecorder core = new CoreRecorder(true);
        final EdgeRecorder honest = new EdgeRecorder();
        try (LinkServer server = Links.launch(Links.server(), core);
            LinkClient edge = LinkClient.launch(Links.client(server, 1), honest);
            LinkDriver intruderDriver = LinkDriver.launch(null, "intruder", Throwable::printStackTrace);
            Aeron intruder = Aeron.connect(new Aeron.Context().aeronDirectoryName(intruderDriver.directory()));
            ExclusivePublication publication = intruder.addExclusivePublication(
                server.endpoint().publicationChannel(1 << 20, 1408), LinkServer.EDGE_TO_CORE_STREAM))
        {
            Links.awaitJoined(edge);
            await().atMost(PATIENCE).until(publication::isConnected);

            // What an intruder can do without the secret: a HELLO with a made-up MAC, a HELLO that
            // guesses a challenge, and commands in the right format, over and over.
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
            final CommandCodec codec = new CommandCodec();
            final CommandEvent purchase = Links.purchase(1, 666, 1, 666);
            final byte[] endpoint = "127.0.0.1:9".getBytes(StandardCharsets.US_ASCII);
            int at = LinkWire.hello(buffer, 0, 9, 1, 0, System.currentTimeMillis(), new byte[32], endpoint);
            at += LinkWire.hello(buffer, at, 9, 1, 12345, System.currentTimeMillis(), new byte[32], endpoint);
            for (int i = 0; i < 10; i++)
            {
                final int length = codec.encode(purchase, 0, CommandCodec.NO_RING_SEQUENCE);
                at += LinkWire.command(buffer, at, 1_000 + i, codec.array(), length);
            }
            final int batchLength = at;
            for (int round = 0; round < 5; round++)
            {
                while (publication.offer(buffer, 0, batchLength) < 0)
                {
                    Thread.onSpinWait();
                }
            }
            // The honest edge's command, sent after the intruder's: once it is in, so are theirs.
            final long honestId = Links.send(edge, Links.purchase(1, 7, 1, 7));
            await().atMost(PATIENCE).until(() -> server.commandsRefused() == 50 && honest.outcomes.containsKey(honestId));

            assertThat(server.hellosRejected()).isEqualTo(10);
            assertThat(core.commands()).extracting(received -> received.command().userId).containsExactly(7L);
            assertThat(core.joined).containsExactly(1);
            assertThat(server.joinedEdges()).isEqualTo(1);
        }
    }

    @Test
    void anEdgeWithTheWrongSecretNeverJoinsAndCannotSend()
    {
        final CoreRecorder core = new CoreRecorder(true);
        final EdgeRecorder edgeOutcomes = new EdgeRecorder();
        try (LinkServer server = Links.launch(Links.server(), core);
            LinkClient edge = LinkClient.launch(
                Links.client(server, 3).secret("not-the-secret".getBytes(StandardCharsets.UTF_8)), edgeOutcomes))
        {
            await().atMost(PATIENCE).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> server.hellosRejected() >= 3);
            assertThat(edge.state()).isEqualTo(LinkClient.State.CONNECTING);
            assertThat(edge.sendCommand(Links.purchase(1, 1, 1, 1))).isEqualTo(LinkClient.NOT_JOINED);
            assertThat(core.joined).isEmpty();
            assertThat(core.commands()).isEmpty();
            assertThat(edgeOutcomes.unknown).isEmpty();
        }
    }
}

package io.flashsale.journal.link;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an edge sees when the core goes away and comes back, and what happens to commands in flight. */
class LinkLivenessTest
{
    @Test
    void whenTheCoreRestartsOnItsPortTheEdgeGoesUnavailableThenRejoinsByItself()
    {
        final EdgeRecorder outcomes = new EdgeRecorder();
        final CoreRecorder firstCore = new CoreRecorder(true);
        final LinkServer first = Links.launch(Links.server(), firstCore);
        final LinkEndpoint address = first.endpoint();
        try (LinkClient edge = LinkClient.launch(Links.client(address, 4).silenceIntervals(3), outcomes))
        {
            Links.awaitJoined(edge);
            final long before = Links.send(edge, Links.purchase(1, 1, 1, 1));
            await().atMost(PATIENCE).until(() -> outcomes.outcomes.containsKey(before));
            assertThat(edge.coreInstanceId()).isEqualTo(first.instanceId());

            first.close();
            await().atMost(PATIENCE).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> !edge.isCoreAvailable());
            assertThat(edge.sendCommand(Links.purchase(1, 2, 1, 2))).isEqualTo(LinkClient.NOT_JOINED);

            final CoreRecorder secondCore = new CoreRecorder(true);
            try (LinkServer second = Links.launch(Links.server().endpoint(address), secondCore))
            {
                Links.awaitJoined(edge);
                assertThat(edge.coreInstanceId()).isEqualTo(second.instanceId());
                assertThat(edge.joins()).isGreaterThanOrEqualTo(2);
                assertThat(edge.linkLosses()).isGreaterThanOrEqualTo(1);
                final long after = Links.send(edge, Links.purchase(1, 3, 1, 3));
                await().atMost(PATIENCE).until(() -> outcomes.outcomes.containsKey(after));
                assertThat(secondCore.commands()).extracting(received -> received.command().userId).containsExactly(3L);
            }
        }
        finally
        {
            first.close();
        }
        assertThat(outcomes.unknown).isEmpty();
        assertThat(outcomes.repeats).hasValue(0);
    }

    @Test
    void aCommandInFlightWhenTheLinkIsLostIsCompletedAsUnknown()
    {
        final CoreRecorder silentCore = new CoreRecorder(false);
        final EdgeRecorder outcomes = new EdgeRecorder();
        final LinkServer server = Links.launch(Links.server(), silentCore);
        try (LinkClient edge = LinkClient.launch(
            Links.client(server, 2).silenceIntervals(3).commandTimeout(1, TimeUnit.HOURS), outcomes))
        {
            Links.awaitJoined(edge);
            final long id = Links.send(edge, Links.purchase(1, 1, 1, 1));
            await().atMost(PATIENCE).until(() -> silentCore.commands().size() == 1);
            assertThat(outcomes.unknown).isEmpty();

            server.close();
            await().atMost(PATIENCE).until(() -> outcomes.unknown.contains(id));
            assertThat(outcomes.outcomes).isEmpty();
            assertThat(edge.linkLosses()).isGreaterThanOrEqualTo(1);
        }
        finally
        {
            server.close();
        }
    }

    @Test
    void aCommandWithoutAnOutcomeTimesOutAsUnknownAndItsLateOutcomeIsDropped()
    {
        final CoreRecorder silentCore = new CoreRecorder(false);
        final EdgeRecorder outcomes = new EdgeRecorder();
        try (LinkServer server = Links.launch(Links.server(), silentCore);
            LinkClient edge = LinkClient.launch(Links.client(server, 2).commandTimeout(200, TimeUnit.MILLISECONDS), outcomes))
        {
            Links.awaitJoined(edge);
            final long id = Links.send(edge, Links.purchase(1, 1, 1, 1));
            await().atMost(PATIENCE).until(() -> outcomes.unknown.contains(id));
            assertThat(edge.linkLosses()).isZero();

            server.sendOutcome(2, id, CoreRecorder.answerTo(id, silentCore.commands().get(0).command()));
            await().atMost(PATIENCE).until(() -> edge.lateOutcomes() == 1);
            assertThat(outcomes.outcomes).isEmpty();
            assertThat(outcomes.repeats).hasValue(0);
        }
    }

    @Test
    void pastTheInFlightLimitCommandsAreRefusedAtOnceUntilEarlierOnesComplete()
    {
        final CoreRecorder silentCore = new CoreRecorder(false);
        final EdgeRecorder outcomes = new EdgeRecorder();
        try (LinkServer server = Links.launch(Links.server(), silentCore);
            LinkClient edge = LinkClient.launch(
                Links.client(server, 2).maxInFlight(3).commandTimeout(300, TimeUnit.MILLISECONDS), outcomes))
        {
            Links.awaitJoined(edge);
            final long first = Links.send(edge, Links.purchase(1, 1, 1, 1));
            final long second = Links.send(edge, Links.purchase(1, 2, 1, 2));
            final long third = Links.send(edge, Links.purchase(1, 3, 1, 3));
            assertThat(edge.commandsInFlight()).isEqualTo(3);
            assertThat(edge.sendCommand(Links.purchase(1, 4, 1, 4))).isEqualTo(LinkClient.BACK_PRESSURED);

            await().atMost(PATIENCE).until(() -> outcomes.unknown.size() == 3);
            assertThat(outcomes.unknown).containsExactlyInAnyOrder(first, second, third);
            assertThat(edge.commandsInFlight()).isZero();
            assertThat(edge.sendCommand(Links.purchase(1, 5, 1, 5))).isPositive();
            assertThat(silentCore.commands()).extracting(received -> received.command().userId).doesNotContain(4L);
        }
    }
}

package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two edges on one core: each outcome reaches the edge that sent the command, and no other. */
class OutcomeRoutingTest
{
    @Test
    void anOutcomeGoesOnlyToTheEdgeThatSentTheCommand()
    {
        final CoreRecorder core = new CoreRecorder(true);
        final EdgeRecorder first = new EdgeRecorder();
        final EdgeRecorder second = new EdgeRecorder();
        try (LinkServer server = Links.launch(Links.server(), core);
            LinkClient one = LinkClient.launch(Links.client(server, 1), first);
            LinkClient two = LinkClient.launch(Links.client(server, 2), second))
        {
            Links.awaitJoined(one);
            Links.awaitJoined(two);
            assertThat(server.joinedEdges()).isEqualTo(2);
            final Set<Long> sentByOne = new HashSet<>();
            final Set<Long> sentByTwo = new HashSet<>();
            final CommandEvent purchase = Links.purchase(1, 0, 1, 0);
            for (int i = 0; i < 500; i++)
            {
                purchase.userId = 100_000 + i;
                sentByOne.add(Links.send(one, purchase));
                purchase.userId = 200_000 + i;
                sentByTwo.add(Links.send(two, purchase));
            }
            await().atMost(PATIENCE).until(() -> first.outcomes.size() == 500 && second.outcomes.size() == 500);

            assertThat(first.outcomes.keySet()).isEqualTo(sentByOne);
            assertThat(second.outcomes.keySet()).isEqualTo(sentByTwo);
            assertThat(first.outcomes.values()).allSatisfy(outcome -> assertThat(outcome.resultUserId).isBetween(100_000L, 100_499L));
            assertThat(second.outcomes.values()).allSatisfy(outcome -> assertThat(outcome.resultUserId).isBetween(200_000L, 200_499L));
            // An outcome routed to the wrong edge would arrive there for no command it sent.
            assertThat(one.lateOutcomes()).isZero();
            assertThat(two.lateOutcomes()).isZero();
            assertThat(core.commands()).allSatisfy(received ->
                assertThat(received.edgeId()).isEqualTo(received.command().userId < 200_000 ? 1 : 2));
        }
    }

    @Test
    void theCoreForgetsAnEdgeThatLeaves()
    {
        final CoreRecorder core = new CoreRecorder(true);
        try (LinkServer server = Links.launch(Links.server(), core))
        {
            try (LinkClient edge = LinkClient.launch(Links.client(server, 5), new EdgeRecorder()))
            {
                Links.awaitJoined(edge);
                assertThat(server.joinedEdges()).isEqualTo(1);
            }
            await().atMost(PATIENCE).until(() -> server.joinedEdges() == 0);
            assertThat(core.left).containsExactly(5);
            // An outcome for an edge that is gone is dropped and counted, never sent elsewhere.
            assertThat(server.sendOutcome(5, 1, CoreRecorder.answerTo(1, Links.purchase(1, 1, 1, 1)))).isTrue();
            await().atMost(PATIENCE).until(() -> server.outcomesDropped() == 1);
        }
    }
}

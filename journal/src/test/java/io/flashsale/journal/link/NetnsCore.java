package io.flashsale.journal.link;

import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;

import java.io.IOException;

/**
 * A core for {@link LinkAcrossNamespacesTest}, run in its own network namespace: binds the given
 * address, answers every command (as {@link CoreRecorder} does), pushes one sale's view, prints
 * what it sees on stdout, and stops when its stdin closes.
 */
public final class NetnsCore
{
    private NetnsCore()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final SaleView sale = new SaleView(1, "veth sale", 100, 0, Long.MAX_VALUE, 1, 60_000);
        final SaleCounts counts = new SaleCounts();
        counts.available = 100;
        final CoreRecorder recorder = new CoreRecorder(true)
        {
            @Override
            public void onEdgeJoined(final int edgeId, final LinkEndpoint endpoint)
            {
                System.out.println("JOINED " + edgeId + " " + endpoint);
            }
        };
        try (LinkServer server = Links.launch(new LinkServer.Config()
            .endpoint(LinkEndpoint.parse(args[0]))
            .secret(Links.SECRET)
            .viewSource(s ->
            {
                s.broadcastView(sale, counts);
                s.broadcastAdmission(1, 0.5);
            }), recorder))
        {
            System.out.println("READY " + server.endpoint());
            while (System.in.read() >= 0)
            {
                // runs until the test closes stdin or kills it
            }
            System.out.println("COMMANDS " + server.commandsReceived());
        }
    }
}

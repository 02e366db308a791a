package io.flashsale.journal.feed;

import java.nio.file.Path;

/** Writes a seeded workload journal: {@code WriteWorkloadMain DIR COMMANDS [SEED]}. For trying the feed by hand. */
public final class WriteWorkloadMain
{
    private WriteWorkloadMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (FeedWorkload workload = new FeedWorkload(Path.of(args[0]), args.length > 2 ? Long.parseLong(args[2]) : 1))
        {
            final long start = System.nanoTime();
            workload.run(Integer.parseInt(args[1]));
            System.out.printf("%d commands, %d orders in %.1f s%n", workload.lastSequence(), workload.engine().orders().count(),
                (System.nanoTime() - start) / 1e9);
        }
    }
}

package io.flashsale.journal.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two feeds on one schema: the one that finds the cursor moved is refused before it writes a row
 * (the cursor moves first in each transaction), and the database holds the other's rows once.
 */
class FeedSecondFeedTest
{
    private final TestPostgres postgres = TestPostgres.shared();

    @TempDir
    Path data;

    @Test
    void aFeedWhoseCursorAnotherFeedMovedIsRefusedAndWritesNoRow() throws Exception
    {
        final String schema = TestPostgres.newSchema("second");
        final OrderFeed.Options first = FeedMatchesEngineTest.options(data, postgres.jdbcUrl(), schema, FeedMatchesEngineTest.quiet());
        final OrderFeed.Options second = FeedMatchesEngineTest.options(data, postgres.jdbcUrl(), schema, FeedMatchesEngineTest.quiet());
        first.maxBatch = 100;
        second.maxBatch = 100;
        try (FeedWorkload workload = new FeedWorkload(data, 7))
        {
            workload.run(600);
            try (OrderFeed late = OrderFeed.open(first); OrderFeed early = OrderFeed.open(second))
            {
                early.run();
                assertThat(early.cursor()).isEqualTo(workload.lastSequence());
                assertThatThrownBy(late::run)
                    .isInstanceOf(FeedException.class)
                    .hasMessageContaining("another feed writes into this schema");
            }
            try (Connection connection = postgres.connect())
            {
                assertThat(FeedBooks.differences(connection, schema, workload.engine(), FeedWorkload::subjectOf)).isEmpty();
            }
        }
    }
}

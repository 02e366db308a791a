package io.flashsale.journal.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LinkDriverTest
{
    @TempDir
    Path parent;

    @Test
    void aDriverKeepsItsFolderUnderTheGivenParentAndDeletesItOnClose()
    {
        final String directory;
        try (LinkDriver driver = LinkDriver.launch(parent, "core", Throwable::printStackTrace))
        {
            directory = driver.directory();
            assertThat(Path.of(directory).getParent()).isEqualTo(parent);
            assertThat(Path.of(directory)).isDirectory();
        }
        assertThat(Path.of(directory)).doesNotExist();
    }

    @Test
    void aFolderLeftByADeadProcessIsSweptAndALiveOnesIsKept() throws IOException, InterruptedException
    {
        final Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        final Path orphan = Files.createDirectories(parent.resolve("flashsale-link-edge-" + finished.pid() + "-1a2b"));
        Files.writeString(orphan.resolve("cnc.dat"), "left behind");
        final Path live = Files.createDirectories(parent.resolve("flashsale-link-edge-" + ProcessHandle.current().pid() + "-3c4d"));
        final Path unrelated = Files.createDirectories(parent.resolve("something-else-" + finished.pid()));

        LinkDriver.sweepOrphans(parent);

        assertThat(orphan).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(unrelated).isDirectory();
    }
}

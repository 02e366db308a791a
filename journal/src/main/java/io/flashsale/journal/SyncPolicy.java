package io.flashsale.journal;

/**
 * When the journal forces what it appended to the disk.
 *
 * <p>Replies always wait for the append; the policy only decides what the append has to survive.
 */
public enum SyncPolicy
{
    /**
     * Leave the written pages to the OS page cache. Survives a crash of the process (the kernel
     * still holds the pages), not a crash of the machine. The default.
     */
    ASYNC,
    /**
     * Force the cycle file to the disk at the end of every ring batch, before any reply of the
     * batch goes out. Survives power loss. Costs one fdatasync per batch, not per command: the
     * slower the disk, the larger the batches grow.
     */
    BATCH
}

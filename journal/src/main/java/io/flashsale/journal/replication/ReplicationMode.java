package io.flashsale.journal.replication;

/** Whether a primary's replies wait for the standby's acknowledgement. */
public enum ReplicationMode
{
    /** No reply leaves before the standby has journaled the command (once the standby is in sync). */
    SYNC,
    /** Replies do not wait; the standby's lag (commands, milliseconds) is reported. */
    ASYNC
}

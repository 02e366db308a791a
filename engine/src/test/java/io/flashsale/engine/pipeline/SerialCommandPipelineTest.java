package io.flashsale.engine.pipeline;

/** Every pipeline test again, with journal, logic and replies on one stage thread. */
class SerialCommandPipelineTest extends CommandPipelineTest
{
    @Override
    StageLayout layout()
    {
        return StageLayout.SERIAL;
    }
}

package io.flashsale.bench.load;

/** Every arrival is one {@code GET path}, counted by status: the plainest load, for ceilings. Loop thread only. */
public final class GetWorkload implements Workload
{
    private final String path;

    public GetWorkload(final String path)
    {
        this.path = path;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        return LoadRequest.get("request", path);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        return Integer.toString(answer.status());
    }
}

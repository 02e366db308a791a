package io.flashsale.http.config;

import java.util.List;

/** The configuration cannot be used; the message names each key and what is wrong with it. */
public final class ConfigException extends RuntimeException
{
    private final List<String> problems;

    public ConfigException(final List<String> problems)
    {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(final String problem)
    {
        this(List.of(problem));
    }

    public List<String> problems()
    {
        return problems;
    }
}

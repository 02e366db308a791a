package io.flashsale.journal.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * One end of a {@code dump} range: a journal sequence (a plain number) or a time (ISO-8601:
 * {@code 2026-01-31T12:00:00Z}, or without zone as UTC, or a date for its midnight UTC).
 * Both ends are inclusive.
 */
record Bound(boolean isSequence, long value)
{
    boolean below(final long sequence, final long timestamp)
    {
        return isSequence ? sequence < value : timestamp < value;
    }

    boolean above(final long sequence, final long timestamp)
    {
        return isSequence ? sequence > value : timestamp > value;
    }

    /** Converts the text of a --from / --to option. */
    static final class Converter implements ITypeConverter<Bound>
    {
        @Override
        public Bound convert(final String text)
        {
            if (text.matches("\\d+"))
            {
                return new Bound(true, Long.parseLong(text));
            }
            try
            {
                return new Bound(false, Instant.parse(text).toEpochMilli());
            }
            catch (final DateTimeParseException notAnInstant)
            {
                try
                {
                    return new Bound(false, LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli());
                }
                catch (final DateTimeParseException notALocalTime)
                {
                    try
                    {
                        return new Bound(false, LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
                    }
                    catch (final DateTimeParseException notADate)
                    {
                        throw new TypeConversionException("'" + text + "' is neither a journal sequence (a number) nor an ISO-8601 time");
                    }
                }
            }
        }
    }
}

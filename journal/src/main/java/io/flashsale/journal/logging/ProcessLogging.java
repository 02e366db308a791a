package io.flashsale.journal.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.Locale;
import java.util.Map;

/**
 * Puts every library of a process on the one log backend: SLF4J into Logback, configured by the
 * logback.xml of this module (one line format, text or JSON). Who logs how, and how it gets there:
 * <ul>
 *   <li>SLF4J (Chronicle Queue): directly;</li>
 *   <li>JBoss Logging (Undertow, XNIO): told to use SLF4J here;</li>
 *   <li>{@code System.Logger} (flashsale's own classes, Caffeine): slf4j-jdk-platform-logging, found
 *       by the JDK on the class path;</li>
 *   <li>{@code java.util.logging} (what is left: JDK parts, libraries without a facade): bridged here.</li>
 * </ul>
 *
 * <p>Main thread, first thing in a process's {@code main}: JBoss Logging picks its backend when its
 * first logger is made.
 */
public final class ProcessLogging
{
    /** Environment variable for the format: {@code text} or {@code json}. */
    public static final String FORMAT_ENV = "FLASHSALE_LOG_FORMAT";
    /** System property for the format; wins over the environment. */
    public static final String FORMAT_PROPERTY = "flashsale.log.format";

    private ProcessLogging()
    {
    }

    /**
     * Routes JBoss Logging and java.util.logging to SLF4J and starts Logback.
     *
     * @throws IllegalArgumentException when the format asked for is neither text nor json (else the
     *                                  process would run without a single log line)
     */
    public static void install()
    {
        // logback.xml reads the property first: hand it the checked spelling.
        System.setProperty(FORMAT_PROPERTY, format(System.getProperty(FORMAT_PROPERTY), System.getenv()));
        if (System.getProperty("org.jboss.logging.provider") == null)
        {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        if (!SLF4JBridgeHandler.isInstalled())
        {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LoggerFactory.getILoggerFactory();
    }

    /** The format asked for: the property, else the environment, else text. */
    static String format(final String property, final Map<String, String> environment)
    {
        final String asked = property != null ? property : environment.get(FORMAT_ENV);
        if (asked == null || asked.isEmpty())
        {
            return "text";
        }
        final String format = asked.trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json"))
        {
            throw new IllegalArgumentException(FORMAT_ENV + " (or -D" + FORMAT_PROPERTY + ") must be text or json, was '" + asked + "'");
        }
        return format;
    }
}

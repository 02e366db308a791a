package io.flashsale.http.page;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.remote.RemoteWebDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * An accessibility audit of the page open in the browser by axe-core (Deque's engine, the npm
 * package as republished on Maven Central, {@code org.webjars.npm:axe-core}, a test dependency),
 * against WCAG 2.0 and 2.1, levels A and AA. {@code axe.min.js} is read from the test class path
 * and handed to the page through WebDriver, as a DevTools evaluation: the page's
 * Content-Security-Policy does not apply to it, nothing is fetched, and the page itself serves
 * nothing extra. Test thread only.
 */
final class AxeAudit
{
    /** axe's tags for WCAG 2.0 and 2.1 success criteria at levels A and AA. */
    static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    /** The impacts that fail the page; minor and moderate ones are reported only. */
    static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");

    private static final String WEBJAR = "META-INF/maven/org.webjars.npm/axe-core/pom.properties";
    private static final String SCRIPT = load();

    private AxeAudit()
    {
    }

    /** One rule that failed, with the CSS selectors of the elements that fail it and why. */
    record Violation(String rule, String impact, String help, List<String> nodes)
    {
        boolean fails()
        {
            return FAILING_IMPACTS.contains(impact);
        }

        @Override
        public String toString()
        {
            return rule + " (" + impact + "): " + help + "\n      " + String.join("\n      ", nodes);
        }
    }

    /** The version of axe-core the audit runs. */
    static String version()
    {
        return properties().getProperty("version");
    }

    /**
     * What one run found: the rules that failed, at any impact; the ones axe could not decide (to
     * review by hand, e.g. text over an image); and the ids of every rule that ran, so that a
     * run that checked nothing cannot pass for a clean page.
     */
    record Result(List<Violation> violations, List<Violation> undecided, Set<String> rulesRun)
    {
    }

    /** Runs every WCAG 2.1 A and AA rule over the whole document as it is now. */
    static Result run(final RemoteWebDriver driver)
    {
        if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object';")))
        {
            driver.executeScript(SCRIPT);
        }
        final Object answer = driver.executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            const described = (rules) => rules.map((v) => ({
              rule: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((n) => n.target.join(' ') + ' -- ' + (n.failureSummary ?? '').replace(/\\s+/g, ' ')),
            }));
            axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations', 'incomplete'] })
              .then((results) => done(JSON.stringify({
                violations: described(results.violations),
                undecided: described(results.incomplete),
                rulesRun: [results.violations, results.incomplete, results.passes, results.inapplicable].flat().map((r) => r.id),
              })))
              .catch((e) => done(JSON.stringify({ failure: String(e) })));
            """, WCAG_21_AA);
        final JsonNode json = PageServer.parse((String)answer);
        if (json.has("failure"))
        {
            throw new IllegalStateException("axe.run failed in the page: " + json.get("failure").asText());
        }
        final Set<String> rulesRun = new TreeSet<>();
        json.get("rulesRun").forEach(rule -> rulesRun.add(rule.asText()));
        return new Result(violations(json.get("violations")), violations(json.get("undecided")), rulesRun);
    }

    private static List<Violation> violations(final JsonNode rules)
    {
        final List<Violation> violations = new ArrayList<>();
        for (final JsonNode v : rules)
        {
            final List<String> nodes = new ArrayList<>();
            v.get("nodes").forEach(node -> nodes.add(node.asText()));
            violations.add(new Violation(v.get("rule").asText(), v.get("impact").asText(), v.get("help").asText(), nodes));
        }
        return violations;
    }

    private static String load()
    {
        final String resource = "META-INF/resources/webjars/axe-core/" + version() + "/axe.min.js";
        return new String(read(resource), StandardCharsets.UTF_8);
    }

    private static Properties properties()
    {
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(new String(read(WEBJAR), StandardCharsets.UTF_8)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return properties;
    }

    private static byte[] read(final String resource)
    {
        try (InputStream in = AxeAudit.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException(resource + " is not on the test class path: the test dependency " +
                    "org.webjars.npm:axe-core is missing");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}

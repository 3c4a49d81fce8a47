package org.neuronsimulator.wheel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuronsimulator.wheel.InvalidSettingException;

/** Setting values in the forms a pom and a command line give them: lists, folders, durations, {@code NAME=value} pairs. */
public final class SettingValues {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smh])");

    private SettingValues() {
    }

    /** The items of a list setting, each also split at commas (the form a -D property gives); blanks dropped. */
    public static List<String> list(List<String> values) {
        List<String> items = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value == null) {
                    continue;
                }
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    }
                }
            }
        }
        return items;
    }

    /**
     * A folder setting taken against {@code base}: relative paths lie below it, and so do defaults
     * that kept a literal {@code ${project.basedir}} (Maven leaves it unresolved in a run without a pom).
     */
    public static Path folder(Path base, String value) {
        String unresolved = "${project.basedir}";
        int at = value.indexOf(unresolved);
        if (at >= 0) {
            String rest = value.substring(at + unresolved.length()).replaceFirst("^[/\\\\]+", "");
            return rest.isEmpty() ? base : base.resolve(rest);
        }
        Path path = Path.of(value);
        return path.isAbsolute() ? path : base.resolve(path);
    }

    /** A duration with a unit ({@code 90s}, {@code 20m}, {@code 2h}); blank or null: the fallback. */
    public static Duration duration(String setting, String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new InvalidSettingException(setting, setting + ": '" + text + "' is not a duration like 90s, 20m or 2h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** {@code NAME=value} items (after {@link #list}) as an ordered map; a later name wins. */
    public static Map<String, String> assignments(String setting, List<String> values) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String item : list(values)) {
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw new InvalidSettingException(setting, setting + ": '" + item + "' is not NAME=value");
            }
            pairs.put(item.substring(0, equals).trim(), item.substring(equals + 1));
        }
        return pairs;
    }
}

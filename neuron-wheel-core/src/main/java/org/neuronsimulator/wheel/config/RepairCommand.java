package org.neuronsimulator.wheel.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neuronsimulator.wheel.builder.BuildCommand;

/**
 * What cibuildwheel's {@code repair-wheel-command} means for the plugin. An {@code auditwheel repair}
 * command whose options the plugin's own repair covers ({@code -w {dest_dir}}, {@code {wheel}},
 * {@code --exclude}, {@code --plat}, {@code -v}) becomes that repair with its excludes and target
 * platform; an empty command means no repair; any other command is run as given on each built wheel.
 *
 * @param excludes the {@code --exclude} patterns of an auditwheel command
 * @param platform its {@code --plat}, or null
 * @param command  the command to run as given, or empty when the plugin's repair does the work
 * @param skip     true for an empty command: wheels stay as built
 */
public record RepairCommand(List<String> excludes, String platform, String command, boolean skip) {

    public RepairCommand {
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(command, "command");
    }

    /** True when the plugin's own repair does what the command asks. */
    public boolean isPluginRepair() {
        return !skip && command.isEmpty();
    }

    /**
     * @param lines the command; several lines are joined with {@code &&}, as cibuildwheel joins them
     */
    public static RepairCommand parse(List<String> lines) {
        List<String> nonBlank = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (nonBlank.isEmpty()) {
            return new RepairCommand(List.of(), null, "", true);
        }
        String joined = String.join(" && ", nonBlank);
        if (nonBlank.size() == 1) {
            RepairCommand auditwheel = asAuditwheel(nonBlank.get(0));
            if (auditwheel != null) {
                return auditwheel;
            }
        }
        return new RepairCommand(List.of(), null, joined, false);
    }

    /** The plugin's equivalent of an {@code auditwheel repair} line, or null when it has more than the plugin covers. */
    private static RepairCommand asAuditwheel(String line) {
        if (line.contains("&&") || line.contains("||") || line.contains(";") || line.contains("|")) {
            return null;
        }
        List<String> words;
        try {
            words = BuildCommand.parse(line).template();
        } catch (IllegalArgumentException e) {
            return null;
        }
        int i = 0;
        if (i < words.size() && (words.get(i).equals("python") || words.get(i).equals("python3"))
                && i + 2 < words.size() && words.get(i + 1).equals("-m")) {
            i += 2;
        }
        if (i >= words.size() || !words.get(i).equals("auditwheel")) {
            return null;
        }
        i++;
        while (i < words.size() && (words.get(i).equals("-v") || words.get(i).equals("--verbose"))) {
            i++;
        }
        if (i >= words.size() || !words.get(i).equals("repair")) {
            return null;
        }
        i++;
        List<String> excludes = new ArrayList<>();
        String platform = null;
        boolean wheel = false;
        boolean destination = false;
        for (; i < words.size(); i++) {
            String word = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : null;
            if (word.equals("-v") || word.equals("--verbose")) {
                continue;
            } else if (word.equals("{wheel}")) {
                wheel = true;
            } else if ((word.equals("-w") || word.equals("--wheel-dir")) && "{dest_dir}".equals(next)) {
                destination = true;
                i++;
            } else if (word.equals("--wheel-dir={dest_dir}")) {
                destination = true;
            } else if (word.equals("--exclude") && next != null) {
                excludes.add(next);
                i++;
            } else if (word.startsWith("--exclude=")) {
                excludes.add(word.substring("--exclude=".length()));
            } else if ((word.equals("--plat") || word.equals("-p")) && next != null) {
                platform = next;
                i++;
            } else if (word.startsWith("--plat=")) {
                platform = word.substring("--plat=".length());
            } else {
                return null;
            }
        }
        return wheel && destination ? new RepairCommand(excludes, platform, "", false) : null;
    }
}

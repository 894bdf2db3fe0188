package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's command table honest: for every command (and subcommand) it shows, {@code ./pricecast <cmd>
 * --help} exits 0, and every flag the table shows for it is in that help. Runs the launcher as a user does, from the
 * build output of this run ({@code PRICECAST_NO_BUILD=1}: no build inside the build).
 */
class ReadmeCommandsTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    @Test
    void everyCommandOfTheReadmeTableHasHelpThatShowsEveryFlagTheTableUses() throws Exception {
        Map<List<String>, Set<String>> commands = commandsOfTheTable();
        assertThat(commands.keySet())
                .as("commands found in the README table")
                .hasSizeGreaterThanOrEqualTo(20)
                .contains(List.of("demo"), List.of("test"), List.of("models", "promote"), List.of("kafka-topics"));

        List<String> problems = new ArrayList<>();
        for (Map.Entry<List<String>, Set<String>> c : commands.entrySet()) {
            List<String> command = new ArrayList<>(List.of("./pricecast"));
            command.addAll(c.getKey());
            command.add("--help");
            ProcessBuilder pb =
                    new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
            pb.environment().put("PRICECAST_NO_BUILD", "1");
            pb.environment()
                    .put(
                            "PRICECAST_HOME",
                            Files.createTempDirectory("pricecast-help-").toString());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problems.add(String.join(" ", command) + ": no answer within 120 s");
                continue;
            }
            String help = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                problems.add(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + help);
            }
            for (String flag : c.getValue()) {
                if (!help.contains(flag)) {
                    problems.add(String.join(" ", command) + ": the README shows " + flag + ", the help does not");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The table under "## Commands": each (sub)command with the flags its row shows. */
    private static Map<List<String>, Set<String>> commandsOfTheTable() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String section = readme.substring(
                readme.indexOf("\n## Commands"), readme.indexOf("\n## ", readme.indexOf("\n## Commands") + 5));
        Map<List<String>, Set<String>> commands = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            if (!line.startsWith("| `./pricecast")) {
                continue;
            }
            String cell = line.split("(?<!\\\\)\\|")[1];
            String current = null;
            Matcher code = CODE.matcher(cell);
            while (code.find()) {
                String text = code.group(1).replace("./pricecast ", "").strip();
                if (text.startsWith("--")) {
                    commands.get(List.of(current)).addAll(flags(text));
                    continue;
                }
                String[] alternatives = text.split("\\\\\\|");
                current = alternatives[0].split("\\s+")[0];
                if (alternatives.length == 1) {
                    commands.computeIfAbsent(List.of(current), k -> new LinkedHashSet<>())
                            .addAll(flags(text));
                    continue;
                }
                for (int i = 0; i < alternatives.length; i++) {
                    String[] words = alternatives[i].strip().split("\\s+");
                    String sub = i == 0 ? words[1] : words[0];
                    commands.computeIfAbsent(List.of(current, sub), k -> new LinkedHashSet<>())
                            .addAll(flags(alternatives[i]));
                }
            }
        }
        return commands;
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new LinkedHashSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add(m.group());
        }
        return flags;
    }
}

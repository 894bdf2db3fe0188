package io.pricecast.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The statements of the README's fenced {@code cql} blocks, each ending in ';'. */
final class ReadmeCql {

    private ReadmeCql() {}

    static List<String> statements(Path readme) throws IOException {
        List<String> statements = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inBlock = line.trim().equals("```cql");
                continue;
            }
            if (inBlock && !line.isBlank() && !line.trim().startsWith("--")) {
                current.append(current.isEmpty() ? "" : " ").append(line.trim());
                if (line.trim().endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1));
                    current.setLength(0);
                }
            }
        }
        return statements;
    }
}

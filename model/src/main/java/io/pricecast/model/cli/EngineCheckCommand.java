package io.pricecast.model.cli;

import ai.djl.engine.Engine;
import io.pricecast.model.network.DjlBiGru;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Loads the DJL PyTorch engine once, offline, and prints its version. Run at image build time so the
 * native library is unpacked into {@code ENGINE_CACHE_DIR} then, not when a container starts.
 */
@Command(
        name = "engine-check",
        mixinStandardHelpOptions = true,
        description =
                "Loads the PyTorch engine offline (unpacking its native library into ENGINE_CACHE_DIR) and prints its version.")
public final class EngineCheckCommand implements Callable<Integer> {

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new EngineCheckCommand()).execute(args));
    }

    @Override
    public Integer call() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine(DjlBiGru.ENGINE);
        System.out.println(engine.getEngineName() + " " + engine.getVersion() + " loaded offline");
        return 0;
    }
}

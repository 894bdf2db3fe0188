package io.pricecast.stack.cli;

import picocli.CommandLine;

/** Prints the build's version. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PricecastCommand.class.getPackage().getImplementationVersion();
        return new String[] {"pricecast " + (v == null ? "(development build)" : v)};
    }
}

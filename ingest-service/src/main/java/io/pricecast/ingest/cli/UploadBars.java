package io.pricecast.ingest.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of {@code ./pricecast upload} (the progressbar library), drawn on the command's error stream so
 * that its standard output keeps only the result: the file's bytes sent, with percentage, speed and ETA, then the
 * records the service has read and published.
 */
final class UploadBars {

    private static final int WIDTH = 100;
    private static final int UPDATE_MS = 200;

    private UploadBars() {}

    /** @return a bar of the file's bytes sent, in MB */
    static ProgressBar sending(PrintWriter err, long bytes) {
        return new ProgressBarBuilder()
                .setTaskName("sending")
                .setInitialMax(bytes)
                .setUnit(" MB", 1 << 20)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(UPDATE_MS)
                .setConsumer(new Lines(err))
                .build();
    }

    /** @return a bar of the records the service has read and published (their number is known only at the end) */
    static ProgressBar publishing(PrintWriter err) {
        return new ProgressBarBuilder()
                .setTaskName("publishing")
                .setInitialMax(-1)
                .setUnit(" records", 1)
                .hideEta()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(UPDATE_MS)
                .setConsumer(new Lines(err))
                .build();
    }

    /** @return {@code in}, telling {@code sent} the bytes read from it so far */
    static InputStream counting(InputStream in, LongConsumer sent) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    sent.accept(++count);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count += n;
                    sent.accept(count);
                }
                return n;
            }
        };
    }

    /** Redraws the bar in place on a writer (a terminal's carriage return); a line of its own when closed. */
    private static final class Lines implements ProgressBarConsumer {
        private final PrintWriter err;

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r');
            err.print(rendered);
            err.flush();
        }

        @Override
        public void close() {
            err.println();
            err.flush();
        }
    }
}

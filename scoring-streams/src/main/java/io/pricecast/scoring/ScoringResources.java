package io.pricecast.scoring;

import io.pricecast.scoring.metrics.ScoringCounters;
import io.pricecast.scoring.model.Engine;
import io.pricecast.scoring.model.ModelCache;

/**
 * What the tasks of one process share: the loaded models and the counters. Created by the process (or a test),
 * handed to the topology, closed after the Streams application.
 *
 * @param models   loaded models, each once per process
 * @param counters the application's own counters
 */
public record ScoringResources(ModelCache models, ScoringCounters counters) implements AutoCloseable {

    /** Fresh resources; nothing is loaded before first use. */
    public static ScoringResources create(Engine engine) {
        ScoringCounters counters = new ScoringCounters();
        return new ScoringResources(new ModelCache(engine, counters), counters);
    }

    @Override
    public void close() throws Exception {
        models.close();
    }
}

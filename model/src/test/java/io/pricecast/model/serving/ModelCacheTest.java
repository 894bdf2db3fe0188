package io.pricecast.model.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache keeps at most its bound of published models, evicts the least recently used and closes its network. */
class ModelCacheTest {

    @Test
    void theLeastRecentlyUsedModelIsEvictedItsNetworkClosedAndLoadedAgainWhenAskedFor() throws Exception {
        ModelBundle bundle = KerasImport.firstBundle();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bundle.write(bytes);
        byte[] content = bytes.toByteArray();
        String sha = bundle.contentSha256();
        AtomicInteger loads = new AtomicInteger();
        ModelCache.Listener counting = new ModelCache.Listener() {
            @Override
            public void loaded(LoadedModel model) {
                loads.incrementAndGet();
            }

            @Override
            public void refused(String identity, String why) {}
        };
        try (ModelCache cache = new ModelCache(Engine.DJL, counting, 2, Duration.ZERO)) {
            assertThat(cache.published("v1", sha, content)).isPresent();
            assertThat(cache.published("v2", sha, content)).isPresent();
            assertThat(cache.find("v1", sha)).as("v1 used last").isPresent();
            assertThat(cache.published("v3", sha, content)).isPresent();

            assertThat(cache.loadedCount()).isEqualTo(2);
            assertThat(cache.find("v2", sha))
                    .as("the least recently used, evicted")
                    .isEmpty();
            assertThat(cache.find("v1", sha)).isPresent();
            assertThat(cache.find("v3", sha)).isPresent();
            // the default model's (find loads it first), v1's and v3's; v2's closed
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.openNetworks() == 3);

            assertThat(cache.published("v2", sha, content)).as("loaded again").isPresent();
            assertThat(loads.get())
                    .as("the default model, v1, v2, v3, v2 again")
                    .isEqualTo(5);
        }
    }

    @Test
    void theBoundComesFromTheEnvironmentAndABadValueNamesTheVariable() {
        assertThat(ModelCache.maxModels(null)).isEqualTo(ModelCache.DEFAULT_MAX_MODELS);
        assertThat(ModelCache.maxModels(" 3 ")).isEqualTo(3);
        assertThatThrownBy(() -> ModelCache.maxModels("0")).hasMessageContaining("PRICECAST_MODEL_CACHE_SIZE=0");
        assertThatThrownBy(() -> ModelCache.maxModels("many")).hasMessageContaining("PRICECAST_MODEL_CACHE_SIZE=many");
    }
}

package io.pricecast.model.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.model.ParityResources;
import io.pricecast.model.features.FeatureSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PickledScalerImporterTest {

    @Test
    void importsTwentySymbolsWithTwelveColumnsAndTheHypers() {
        PickledScalerImporter.Imported imported = ParityResources.originalScalers();

        ScalerSet scalers = imported.scalers();
        assertThat(scalers.size()).isEqualTo(20);
        assertThat(scalers.symbols()).contains("BTC", "LTC", "XRP", "BITS").isSorted();
        assertThat(scalers.columns()).isEqualTo(FeatureSpec.SCALED_COLUMNS);
        assertThat(imported.hypers())
                .containsEntry("target_col", "v_open")
                .containsEntry("seq_len", 5)
                .containsEntry("batch_size", 32);
        assertThat((List<?>) imported.hypers().get("feat_cols")).hasSize(FeatureSpec.FEATURE_COUNT);
    }

    @Test
    void scalerValuesArePlausibleForBitcoin() {
        SymbolScaler btc =
                ParityResources.originalScalers().scalers().forSymbol("BTC").orElseThrow();

        for (int c = 0; c < FeatureSpec.SCALED_COUNT; c++) {
            assertThat(btc.scale(c))
                    .as("scale of %s", FeatureSpec.SCALED_COLUMNS.get(c))
                    .isPositive()
                    .isFinite();
            assertThat(btc.mean(c)).isFinite();
        }
        assertThat(btc.mean(FeatureSpec.OPEN)).isGreaterThan(1.0);
        assertThat(btc.transform(FeatureSpec.OPEN, btc.mean(FeatureSpec.OPEN))).isZero();
    }

    @Test
    void rejectsAPickleThatIsNotADictNamingTheSource() {
        byte[] pickledList = {(byte) 0x80, 3, ']', '.'};

        assertThatThrownBy(() -> PickledScalerImporter.read(new ByteArrayInputStream(pickledList), "bad.pkl"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad.pkl")
                .hasMessageContaining("expected a dict");
    }
}

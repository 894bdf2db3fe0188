package io.pricecast.trainer.evaluate;

import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.trainer.data.TrainingData;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shadow evaluation: a candidate scored over a dataset's recent history next to the active model, before anyone
 * promotes it (nothing is written anywhere).
 */
public final class Evaluation {

    private Evaluation() {}

    /**
     * @param data       the dataset's rows (enough history before {@code from} to fill the windows)
     * @param from       first forecast date evaluated
     */
    public static Map<String, Object> run(
            ModelBundle candidate, ModelBundle active, TrainingData data, LocalDate from) {
        HeldOutMad.Summary summary = new HeldOutMad(candidate, active).evaluate(data.series(), from);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidate", candidate.metadata().versionId());
        out.put("candidate_sha256", candidate.contentSha256());
        out.put("active", active.metadata().versionId());
        out.put("active_sha256", active.contentSha256());
        out.put("data", data.source());
        out.put("rows_sha256", data.contentSha256());
        out.put("from", from.toString());
        out.put("candidate_not_worse", summary.candidateNotWorse());
        out.putAll(HeldOutMad.describe(summary));
        return out;
    }
}

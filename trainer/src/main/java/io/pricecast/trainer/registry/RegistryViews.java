package io.pricecast.trainer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.ModelEvent;
import io.pricecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry as JSON-friendly maps: shared by the {@code models} command and the HTTP endpoints. */
public final class RegistryViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryViews() {}

    /** Every version (the default first), which is active, and the audit trail. */
    public static Map<String, Object> list(RegistryState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", state.activeVersion());
        out.put("active_sha256", state.activeSha256());
        List<Map<String, Object>> versions = new ArrayList<>();
        if (!state.published().containsKey(state.defaultVersion())) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", state.defaultVersion());
            v.put("sha256", state.defaultSha256());
            v.put("published_by", "built in");
            v.put("active", state.activeVersion().equals(state.defaultVersion()));
            versions.add(v);
        }
        for (ModelEvent e : state.published().values()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", e.getVersion());
            v.put("sha256", e.getSha256());
            v.put("published_at", e.getAt().toString());
            v.put("published_by", e.getActor());
            v.put("active", state.activeVersion().equals(e.getVersion()));
            versions.add(v);
        }
        out.put("versions", versions);
        out.put("audit", audit(state));
        return out;
    }

    /** The promotions and rollbacks, oldest first. */
    public static List<Map<String, Object>> audit(RegistryState state) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelEvent e : state.audit()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("kind", e.getKind().toString());
            a.put("at", e.getAt().toString());
            a.put("actor", e.getActor());
            a.put("reason", e.getReason());
            a.put("from", e.getPreviousVersion());
            a.put("to", e.getVersion());
            a.put("to_sha256", e.getSha256());
            out.add(a);
        }
        return out;
    }

    /** One version: identity, training record, hyper-parameters. */
    public static Map<String, Object> show(RegistryState state, ModelBundle bundle) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        String version = bundle.metadata().versionId();
        out.put("version", version);
        out.put("active", state.activeVersion().equals(version));
        out.put("sha256", bundle.contentSha256());
        out.put("weights_sha256", bundle.weightsSha256());
        out.put("scalers_sha256", bundle.scalersSha256());
        out.put("symbols", bundle.scalers().size());
        out.put("created_at", bundle.metadata().createdAt().toString());
        out.put("source", bundle.metadata().source());
        out.put("feature_spec", bundle.featureSpecVersion());
        out.put("hypers", bundle.hypers());
        String record = bundle.metadata().trainingData();
        JsonNode parsed = null;
        if (record.startsWith("{")) {
            parsed = JSON.readTree(record);
        }
        out.put("training_record", parsed == null ? record : parsed);
        ModelEvent published = state.published().get(version);
        if (published != null) {
            out.put("published_at", published.getAt().toString());
            out.put("published_by", published.getActor());
            out.put("published_reason", published.getReason());
        }
        return out;
    }
}

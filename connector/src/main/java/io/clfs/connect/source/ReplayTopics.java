package io.clfs.connect.source;

import java.util.Map;

/**
 * The topic a replayed record goes to: its origin topic's target in {@code clfs.replay.topic.map},
 * or else the topic template rendered for its origin topic and partition.
 */
public final class ReplayTopics {
    private final Map<String, String> map;
    private final TopicTemplate template;

    public ReplayTopics(Map<String, String> map, TopicTemplate template) {
        this.map = Map.copyOf(map);
        this.template = template;
    }

    public String target(String originTopic, int originPartition) {
        String mapped = map.get(originTopic);
        return mapped != null ? mapped : template.render(originTopic, originPartition);
    }

    /** The origin topics the map names. */
    public java.util.Set<String> mappedOrigins() {
        return map.keySet();
    }
}

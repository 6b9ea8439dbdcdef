import { Admin } from 'kafkajs';

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/**
 * How far each consumer group is behind the end of each partition of its topics: the partition's high
 * watermark minus the group's committed offset (a group that has committed nothing on a partition it reads
 * from the beginning is behind by everything still retained: high minus low). Names are as the cluster
 * spells them; `rename` turns them back into the application's names (without the namespace).
 */
export async function measureConsumerLag(
  admin: Admin,
  groups: Map<string, string[]>,
  rename: (name: string) => string,
): Promise<PartitionLag[]> {
  // One request per topic for its ends and one per group for its offsets, all at once.
  const topics = [...new Set([...groups.values()].flat())];
  const ends = new Map(
    await Promise.all(
      topics.map(async (topic) => {
        const offsets = await admin.fetchTopicOffsets(topic);
        return [topic, new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }]))] as const;
      }),
    ),
  );
  const committed = await Promise.all(
    [...groups].map(async ([group, groupTopics]) => ({
      group,
      offsets: await admin.fetchOffsets({ groupId: group, topics: groupTopics }),
    })),
  );
  const rows: PartitionLag[] = [];
  for (const { group, offsets } of committed) {
    for (const t of offsets) {
      const topicEnds = ends.get(t.topic);
      for (const p of t.partitions) {
        const end = topicEnds?.get(p.partition);
        if (!end) continue;
        const offset = BigInt(p.offset);
        const lag = offset < 0n ? end.high - end.low : end.high - offset;
        rows.push({ group: rename(group), topic: rename(t.topic), partition: p.partition, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
  }
  return rows;
}

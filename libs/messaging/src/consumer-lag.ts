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
export async function measureConsumerLag(admin: Admin, groups: Map<string, string[]>, rename: (name: string) => string): Promise<PartitionLag[]> {
  const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
  const endsOf = async (topic: string) => {
    let e = ends.get(topic);
    if (!e) {
      const offsets = await admin.fetchTopicOffsets(topic);
      e = new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }]));
      ends.set(topic, e);
    }
    return e;
  };
  const rows: PartitionLag[] = [];
  for (const [group, topics] of groups) {
    const committed = await admin.fetchOffsets({ groupId: group, topics });
    for (const t of committed) {
      const topicEnds = await endsOf(t.topic);
      for (const p of t.partitions) {
        const end = topicEnds.get(p.partition);
        if (!end) continue;
        const offset = BigInt(p.offset);
        const lag = offset < 0n ? end.high - end.low : end.high - offset;
        rows.push({ group: rename(group), topic: rename(t.topic), partition: p.partition, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
  }
  return rows;
}

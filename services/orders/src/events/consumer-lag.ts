import type { Admin } from 'kafkajs';

/**
 * How far each watched consumer group is behind on `topic`: per partition, the log end offset minus
 * the group's committed offset (a partition it never committed counts from the log start).
 */
export async function consumerLag(
  admin: Admin,
  topic: string,
  groups: readonly string[],
): Promise<Array<{ group: string; topic: string; lag: number }>> {
  const ends = await admin.fetchTopicOffsets(topic);
  const result = [];
  for (const group of groups) {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    let lag = 0;
    for (const end of ends) {
      const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
      lag += Math.max(0, Number(end.high) - from);
    }
    result.push({ group, topic, lag });
  }
  return result;
}

import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `effect` at most once per (consumer group, message id): the processed id is recorded in the same
 * Postgres transaction as the effect, so a redelivered message is skipped and a crash loses nothing.
 * Returns false when the message had already been processed.
 */
export async function processOnce(
  db: DataSource,
  consumerGroup: string,
  messageId: string,
  effect: (tx: EntityManager) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO msg_processed (consumer_group, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [consumerGroup, messageId],
    );
    if (inserted.length === 0) return false;
    await effect(tx);
    return true;
  });
}

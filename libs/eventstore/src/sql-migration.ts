import { MigrationInterface, QueryRunner } from 'typeorm';

/** A migration that is SQL only: the statements of `up`, in order, and those of `down` that undo them. */
export interface SqlMigrationSteps {
  up: string[];
  down: string[];
}

/**
 * The migration class TypeORM runs for SQL-only steps. `name` is the migration's name as recorded in
 * schema_migrations (its last 13 digits the timestamp TypeORM orders by), so a database migrated before
 * sees the same migration.
 */
export function sqlMigration(name: string, steps: SqlMigrationSteps): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    async up(db: QueryRunner): Promise<void> {
      for (const statement of steps.up) await db.query(statement);
    }
    async down(db: QueryRunner): Promise<void> {
      for (const statement of steps.down) await db.query(statement);
    }
  };
}

/**
 * Hands a background export to whoever runs it. Two adapters: pg-boss on a PostgreSQL server
 * (jobs survive restarts and are shared between instances), and an in-process queue for the
 * embedded database, whose single connection pg-boss cannot share.
 */
export abstract class ExportJobQueue {
  abstract enqueue(exportId: string): Promise<void>;
}
